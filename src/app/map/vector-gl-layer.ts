/**
 * A large polygon layer drawn by MapLibre as a custom WebGL layer: the worker's
 * mesh (src/worker/vector-mesh.ts) is uploaded once, and each feature's colour
 * is one texel of a small RGBA texture read in the vertex shader, so a step of
 * the slider or a live frame uploads 4 bytes per feature — no GeoJSON, no
 * feature-state, no re-tiling. Outlines (one-pixel GL lines) are drawn from
 * the zoom at which a feature spans a few pixels (outline-zoom.ts).
 *
 * GL work happens only inside render(), where MapLibre expects its state to be
 * changed (it resets its state cache afterwards); the layer binds its own
 * vertex array object, never MapLibre's. No synchronous GL query (isProgram, getError, getParameter…)
 * runs per frame: each is a round trip to the GPU process that waits for the frames queued before it
 * (tried: isProgram + isVertexArray made every slider step a ~75 ms main-thread task in SwiftShader).
 */
import type { CustomLayerInterface, CustomRenderMethodInput, Map as MlMap } from 'maplibre-gl';
import type { VectorMesh } from '../../worker/vector-mesh.ts';

const VERTEX = `#version 300 es
uniform mat4 u_matrix;
uniform highp sampler2D u_colors;
uniform int u_width;
in vec2 a_pos;
in float a_feature;
out vec4 v_color;
void main() {
  int i = int(a_feature + 0.5);
  v_color = texelFetch(u_colors, ivec2(i % u_width, i / u_width), 0);
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
}`;

const FRAGMENT = `#version 300 es
precision mediump float;
uniform float u_opacity;
uniform vec4 u_line;
in vec4 v_color;
out vec4 fragColor;
void main() {
  // Premultiplied alpha, as MapLibre blends; u_line.a > 0: the outline pass.
  fragColor = u_line.a > 0.0 ? u_line : vec4(v_color.rgb * v_color.a, v_color.a) * u_opacity;
}`;

/** The outline colour (as the GeoJSON path's line layer: rgba(20, 30, 45, 0.35)), premultiplied. */
const LINE = [(20 / 255) * 0.35, (30 / 255) * 0.35, (45 / 255) * 0.35, 0.35] as const;

/** Texels per row of the colour texture. */
const TEX_WIDTH = 4096;

interface Program {
  program: WebGLProgram;
  u: Record<'matrix' | 'colors' | 'width' | 'opacity' | 'line', WebGLUniformLocation | null>;
  /** Linked (false while KHR_parallel_shader_compile still compiles it). */
  linked: boolean;
}

/**
 * One program per WebGL context, shared by its layers and never deleted: compiling and linking is
 * slow in a software renderer (≈ 170 ms in SwiftShader on a busy machine), so it is started when the
 * first layer is added and, with KHR_parallel_shader_compile, waited for without blocking the page.
 */
const programs = new WeakMap<WebGL2RenderingContext, Program>();

function programFor(gl: WebGL2RenderingContext): Program {
  let p = programs.get(gl);
  if (!p) {
    const program = gl.createProgram();
    gl.attachShader(program, shader(gl, gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(program, shader(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(program);
    p = { program, u: { matrix: null, colors: null, width: null, opacity: null, line: null }, linked: false };
    programs.set(gl, p);
  }
  return p;
}

/** Whether the program is linked; false while it still compiles in parallel (nothing is drawn yet). */
function linked(gl: WebGL2RenderingContext, p: Program): boolean {
  if (p.linked) return true;
  const parallel = gl.getExtension('KHR_parallel_shader_compile') as { COMPLETION_STATUS_KHR: number } | null;
  if (parallel && !gl.getProgramParameter(p.program, parallel.COMPLETION_STATUS_KHR)) return false;
  if (!gl.getProgramParameter(p.program, gl.LINK_STATUS)) {
    const log = gl.getProgramInfoLog(p.program) ?? '';
    throw new Error(`vector layer program: ${log}`);
  }
  const u = (n: string) => gl.getUniformLocation(p.program, n);
  p.u = { matrix: u('u_matrix'), colors: u('u_colors'), width: u('u_width'), opacity: u('u_opacity'), line: u('u_line') };
  p.linked = true;
  return true;
}

interface Gl {
  vao: WebGLVertexArrayObject;
  buffers: WebGLBuffer[];
  tris: WebGLBuffer;
  edges: WebGLBuffer;
  texture: WebGLTexture;
  width: number;
  height: number;
}

/** A shader, compiled (its errors are read from the program's link status, not waited for here). */
function shader(gl: WebGL2RenderingContext, type: number, src: string): WebGLShader {
  const s = gl.createShader(type)!;
  gl.shaderSource(s, src);
  gl.compileShader(s);
  return s;
}

export class VectorGlLayer implements CustomLayerInterface {
  readonly type = 'custom' as const;
  readonly renderingMode = '2d' as const;
  private map: MlMap | null = null;
  private gl: Gl | null = null;
  private colors: Uint8Array;
  private dirty = true;
  private opacity: number;
  /** Not drawn yet (its program still compiles): the map's 'idle' does not mean drawn (MapView). */
  waiting = true;

  constructor(
    readonly id: string,
    readonly mesh: VectorMesh,
    /** Outlines are drawn from this zoom on. */
    private readonly outlineMinZoom: number,
    colors: Uint8Array,
    opacity: number,
  ) {
    this.colors = colors;
    this.opacity = opacity;
  }

  /** RGBA per feature (4 × mesh.count bytes, not premultiplied). */
  setColors(colors: Uint8Array): void {
    this.colors = colors;
    this.dirty = true;
    this.map?.triggerRepaint();
  }

  setOpacity(opacity: number): void {
    if (opacity === this.opacity) return;
    this.opacity = opacity;
    this.map?.triggerRepaint();
  }

  onAdd(map: MlMap, gl: WebGL2RenderingContext): void {
    this.map = map;
    programFor(gl); // compiling starts now (no GL state is bound by it)
  }

  onRemove(_map: MlMap, gl: WebGL2RenderingContext): void {
    const g = this.gl;
    this.gl = null;
    this.map = null;
    if (!g) return;
    for (const b of [...g.buffers, g.tris, g.edges]) gl.deleteBuffer(b);
    gl.deleteVertexArray(g.vao);
    gl.deleteTexture(g.texture);
  }

  private setUp(gl: WebGL2RenderingContext, program: WebGLProgram): Gl {
    const vao = gl.createVertexArray();
    gl.bindVertexArray(vao);
    const attrib = (name: string, data: Float32Array, size: number): WebGLBuffer => {
      const b = gl.createBuffer();
      gl.bindBuffer(gl.ARRAY_BUFFER, b);
      gl.bufferData(gl.ARRAY_BUFFER, data, gl.STATIC_DRAW);
      const loc = gl.getAttribLocation(program, name);
      gl.enableVertexAttribArray(loc);
      gl.vertexAttribPointer(loc, size, gl.FLOAT, false, 0, 0);
      return b;
    };
    const buffers = [attrib('a_pos', this.mesh.positions, 2), attrib('a_feature', this.mesh.features, 1)];
    const elements = (data: Uint32Array) => {
      const b = gl.createBuffer();
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, b);
      gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, data, gl.STATIC_DRAW);
      return b;
    };
    const edges = elements(this.mesh.edges);
    const tris = elements(this.mesh.triangles); // bound last: the element buffer of the VAO (rebound for edges)
    gl.bindVertexArray(null);
    const width = Math.max(1, Math.min(TEX_WIDTH, this.mesh.count));
    const height = Math.max(1, Math.ceil(this.mesh.count / width));
    const texture = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, width, height, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
    this.dirty = true;
    return { vao, buffers, tris, edges, texture, width, height };
  }

  private upload(gl: WebGL2RenderingContext, g: Gl): void {
    const size = g.width * g.height * 4;
    const px = this.colors.length === size ? this.colors : new Uint8Array(size);
    if (px !== this.colors) px.set(this.colors.subarray(0, size));
    gl.bindTexture(gl.TEXTURE_2D, g.texture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, g.width, g.height, gl.RGBA, gl.UNSIGNED_BYTE, px);
    this.dirty = false;
  }

  render(gl: WebGL2RenderingContext, options: CustomRenderMethodInput): void {
    const p = programFor(gl);
    if (!linked(gl, p)) {
      this.waiting = true;
      this.map?.triggerRepaint(); // drawn once linked
      return;
    }
    this.waiting = false;
    const g = (this.gl ??= this.setUp(gl, p.program));
    gl.activeTexture(gl.TEXTURE0);
    if (this.dirty) this.upload(gl, g);
    gl.bindTexture(gl.TEXTURE_2D, g.texture);
    gl.useProgram(p.program);
    const u = p.u;
    // The offsets' origin folded into the matrix in double precision: Float32 vertices stay exact at any zoom.
    const m = Array.from(options.defaultProjectionData.mainMatrix as ArrayLike<number>);
    const { originX: ox, originY: oy } = this.mesh;
    for (let r = 0; r < 4; r++) m[12 + r] += m[r] * ox + m[4 + r] * oy;
    gl.uniformMatrix4fv(u.matrix, false, new Float32Array(m));
    gl.uniform1i(u.colors, 0);
    gl.uniform1i(u.width, g.width);
    gl.uniform1f(u.opacity, this.opacity);
    gl.uniform4f(u.line, 0, 0, 0, 0);
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.STENCIL_TEST);
    gl.disable(gl.CULL_FACE);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.bindVertexArray(g.vao);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, g.tris);
    gl.drawElements(gl.TRIANGLES, this.mesh.triangles.length, gl.UNSIGNED_INT, 0);
    if (this.map && this.map.getZoom() >= this.outlineMinZoom && this.mesh.edges.length > 0) {
      gl.uniform4f(u.line, ...LINE);
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, g.edges);
      gl.drawElements(gl.LINES, this.mesh.edges.length, gl.UNSIGNED_INT, 0);
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, g.tris);
    }
    gl.bindVertexArray(null);
  }
}
