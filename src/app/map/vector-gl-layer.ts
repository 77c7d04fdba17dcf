/**
 * A large polygon layer drawn by MapLibre as a custom WebGL layer: the worker's
 * mesh (src/worker/vector-mesh.ts) is uploaded once, and each feature's colour
 * is one texel of a small RGBA texture, so a step of the slider or a live frame
 * uploads 4 bytes per feature — no GeoJSON, no feature-state, no re-tiling.
 *
 * Two passes: the mesh's triangles are drawn into an offscreen feature-index
 * texture (RG32UI, the canvas' size: index + 1 per pixel, 0 where none; and how
 * many outline edges pass the pixel, counted in the stencil) only when the view
 * or the canvas changed; every frame then draws one quad over the layer's box
 * that looks each pixel's feature up in the colour texture and lays the outline
 * colour over it as often as edges passed (as blending each edge did). A step of
 * the slider (the same view, other colours) thus costs one quad, not the mesh's
 * triangles and edges: 80,000 triangles of a 200² grid took ~35 ms of a frame in
 * SwiftShader (software WebGL), their 160,000 edges as much, the quad a few.
 * Outlines (one-pixel GL lines) are drawn from the zoom at which a feature spans
 * a few pixels (outline-zoom.ts). Where polygons overlap, the one drawn last
 * (the later feature) shows.
 *
 * GL work happens only inside render(), where MapLibre expects its state to be
 * changed (it resets its state cache afterwards); the layer binds its own
 * vertex array object and framebuffer, never MapLibre's, and binds MapLibre's
 * framebuffer back (FRAMEBUFFER_BINDING is WebGL's own record, no GPU query).
 * No synchronous GL query (isProgram, getError, getParameter of GL state…) runs
 * per frame: each is a round trip to the GPU process that waits for the frames
 * queued before it (tried: isProgram + isVertexArray made every slider step a
 * ~75 ms main-thread task in SwiftShader).
 */
import type { CustomLayerInterface, CustomRenderMethodInput, Map as MlMap } from 'maplibre-gl';
import type { VectorMesh } from '../../worker/vector-mesh.ts';

/** The outline pass: one-pixel lines of the mesh's edges, counted per pixel in the stencil (no colour written). */
const LINE_VERTEX = `#version 300 es
uniform mat4 u_matrix;
layout(location = 0) in vec2 a_pos;
void main() {
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
}`;

/** Writes u_count to the index texture's second channel (the outline count; the only one unmasked). */
const COUNT_FRAGMENT = `#version 300 es
precision highp float;
uniform uint u_count;
out uvec4 fragIndex;
void main() {
  fragIndex = uvec4(0u, u_count, 0u, 0u);
}`;

/** Outline counts above this are drawn as this many (a pixel where four cells meet). */
const MAX_COUNT = 4;

/** The index pass: each triangle's pixels get its feature's index + 1. */
const INDEX_VERTEX = `#version 300 es
uniform mat4 u_matrix;
layout(location = 0) in vec2 a_pos;
layout(location = 1) in float a_feature;
flat out uint v_index;
void main() {
  v_index = uint(a_feature + 0.5) + 1u;
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
}`;

const INDEX_FRAGMENT = `#version 300 es
precision highp float;
flat in uint v_index;
out uvec4 fragIndex;
void main() {
  fragIndex = uvec4(v_index, 0u, 0u, 0u);
}`;

/** The colour pass: a quad over the layer's box; each pixel's feature colour from the index texture. */
const QUAD_VERTEX = `#version 300 es
uniform mat4 u_matrix;
uniform vec4 u_box;
void main() {
  vec2 c = vec2(gl_VertexID % 2 == 0 ? u_box.x : u_box.z, gl_VertexID < 2 ? u_box.y : u_box.w);
  gl_Position = u_matrix * vec4(c, 0.0, 1.0);
}`;

const COLOR_FRAGMENT = `#version 300 es
precision mediump float;
uniform highp usampler2D u_index;
uniform highp sampler2D u_colors;
uniform int u_width;
uniform float u_opacity;
uniform vec4 u_line;
out vec4 fragColor;
void main() {
  uvec2 t = texelFetch(u_index, ivec2(gl_FragCoord.xy), 0).rg;
  if (t.x == 0u && t.y == 0u) discard;
  // Premultiplied alpha, as MapLibre blends.
  vec4 fill = vec4(0.0);
  if (t.x > 0u) {
    int i = int(t.x) - 1;
    vec4 c = texelFetch(u_colors, ivec2(i % u_width, i / u_width), 0);
    fill = vec4(c.rgb * c.a, c.a) * u_opacity;
  }
  // n edges blended one over another: alpha 1 - (1 - a)^n, the same colour.
  float a = 1.0 - pow(1.0 - u_line.a, float(t.y));
  fragColor = vec4(u_line.rgb / u_line.a, 1.0) * a + (1.0 - a) * fill;
}`;

/** The outline colour (as the GeoJSON path's line layer: rgba(20, 30, 45, 0.35)), premultiplied. */
const LINE = [(20 / 255) * 0.35, (30 / 255) * 0.35, (45 / 255) * 0.35, 0.35] as const;

/** Texels per row of the colour texture. */
const TEX_WIDTH = 4096;

type Uniform = 'matrix' | 'colors' | 'index' | 'width' | 'opacity' | 'line' | 'box' | 'count';

interface Program {
  program: WebGLProgram;
  u: Partial<Record<Uniform, WebGLUniformLocation | null>>;
  /** Linked (false while KHR_parallel_shader_compile still compiles it). */
  linked: boolean;
}

interface Programs {
  line: Program;
  count: Program;
  index: Program;
  color: Program;
}

/**
 * The programs of a WebGL context, shared by its layers and never deleted: compiling and linking is
 * slow in a software renderer (≈ 170 ms in SwiftShader on a busy machine), so it is started when the
 * first layer is added and, with KHR_parallel_shader_compile, waited for without blocking the page.
 */
const programs = new WeakMap<WebGL2RenderingContext, Programs>();

function programsFor(gl: WebGL2RenderingContext): Programs {
  let p = programs.get(gl);
  if (!p) {
    const make = (vs: string, fs: string): Program => {
      const program = gl.createProgram();
      gl.attachShader(program, shader(gl, gl.VERTEX_SHADER, vs));
      gl.attachShader(program, shader(gl, gl.FRAGMENT_SHADER, fs));
      gl.linkProgram(program);
      return { program, u: {}, linked: false };
    };
    p = {
      line: make(LINE_VERTEX, COUNT_FRAGMENT),
      count: make(QUAD_VERTEX, COUNT_FRAGMENT),
      index: make(INDEX_VERTEX, INDEX_FRAGMENT),
      color: make(QUAD_VERTEX, COLOR_FRAGMENT),
    };
    programs.set(gl, p);
  }
  return p;
}

const UNIFORMS: Record<Uniform, string> = {
  matrix: 'u_matrix',
  colors: 'u_colors',
  index: 'u_index',
  width: 'u_width',
  opacity: 'u_opacity',
  line: 'u_line',
  box: 'u_box',
  count: 'u_count',
};

/** Whether the program is linked; false while it still compiles in parallel (nothing is drawn yet). */
function linked(gl: WebGL2RenderingContext, p: Program): boolean {
  if (p.linked) return true;
  const parallel = gl.getExtension('KHR_parallel_shader_compile') as { COMPLETION_STATUS_KHR: number } | null;
  if (parallel && !gl.getProgramParameter(p.program, parallel.COMPLETION_STATUS_KHR)) return false;
  if (!gl.getProgramParameter(p.program, gl.LINK_STATUS)) {
    const log = gl.getProgramInfoLog(p.program) ?? '';
    throw new Error(`vector layer program: ${log}`);
  }
  for (const [k, name] of Object.entries(UNIFORMS) as [Uniform, string][]) p.u[k] = gl.getUniformLocation(p.program, name);
  p.linked = true;
  return true;
}

/** West, north, east, south in offsets. */
type Box = [number, number, number, number];

interface Gl {
  vao: WebGLVertexArrayObject;
  buffers: WebGLBuffer[];
  tris: WebGLBuffer;
  edges: WebGLBuffer;
  texture: WebGLTexture;
  width: number;
  height: number;
  /** The layer's box in offsets: west, north, east, south (the colour pass's quad). */
  box: Box;
  /** The feature-index texture and its framebuffer (made at the canvas' size, remade when it changes). */
  index: WebGLTexture | null;
  stencil: WebGLRenderbuffer | null;
  fbo: WebGLFramebuffer | null;
  indexW: number;
  indexH: number;
  /** The matrix the index texture was drawn with (null: not drawn), and whether with outlines. */
  drawnWith: Float32Array | null;
  outlined: boolean;
}

/** A shader, compiled (its errors are read from the program's link status, not waited for here). */
function shader(gl: WebGL2RenderingContext, type: number, src: string): WebGLShader {
  const s = gl.createShader(type)!;
  gl.shaderSource(s, src);
  gl.compileShader(s);
  return s;
}

/** The box of x, y pairs: west, north, east, south (y grows southward). */
function boxOf(positions: Float32Array): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < positions.length; i += 2) {
    const x = positions[i];
    const y = positions[i + 1];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return positions.length ? [x0, y0, x1, y1] : [0, 0, 0, 0];
}

const sameMatrix = (a: Float32Array | null, b: Float32Array): boolean => a !== null && a.every((v, i) => v === b[i]);

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
    programsFor(gl); // compiling starts now (no GL state is bound by it)
  }

  onRemove(_map: MlMap, gl: WebGL2RenderingContext): void {
    const g = this.gl;
    this.gl = null;
    this.map = null;
    if (!g) return;
    for (const b of [...g.buffers, g.tris, g.edges]) gl.deleteBuffer(b);
    gl.deleteVertexArray(g.vao);
    gl.deleteTexture(g.texture);
    if (g.index) gl.deleteTexture(g.index);
    if (g.stencil) gl.deleteRenderbuffer(g.stencil);
    if (g.fbo) gl.deleteFramebuffer(g.fbo);
  }

  private setUp(gl: WebGL2RenderingContext): Gl {
    const vao = gl.createVertexArray();
    gl.bindVertexArray(vao);
    // Attribute locations as the shaders' layout qualifiers.
    const attrib = (loc: number, data: Float32Array, size: number): WebGLBuffer => {
      const b = gl.createBuffer();
      gl.bindBuffer(gl.ARRAY_BUFFER, b);
      gl.bufferData(gl.ARRAY_BUFFER, data, gl.STATIC_DRAW);
      gl.enableVertexAttribArray(loc);
      gl.vertexAttribPointer(loc, size, gl.FLOAT, false, 0, 0);
      return b;
    };
    const buffers = [attrib(0, this.mesh.positions, 2), attrib(1, this.mesh.features, 1)];
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
    nearest(gl);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, width, height, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
    this.dirty = true;
    const box = boxOf(this.mesh.positions);
    return {
      vao,
      buffers,
      tris,
      edges,
      texture,
      width,
      height,
      box,
      index: null,
      stencil: null,
      fbo: null,
      indexW: 0,
      indexH: 0,
      drawnWith: null,
      outlined: false,
    };
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

  /** Draw the triangles' feature indices and the outline counts into the index texture (made or remade at the canvas' size). */
  private drawIndex(gl: WebGL2RenderingContext, g: Gl, ps: Programs, matrix: Float32Array, box: Box, outlined: boolean): void {
    const p = ps.index;
    const w = gl.drawingBufferWidth;
    const h = gl.drawingBufferHeight;
    const target = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
    if (!g.index || g.indexW !== w || g.indexH !== h) {
      if (g.index) gl.deleteTexture(g.index);
      if (g.stencil) gl.deleteRenderbuffer(g.stencil);
      if (g.fbo) gl.deleteFramebuffer(g.fbo);
      g.index = gl.createTexture();
      gl.bindTexture(gl.TEXTURE_2D, g.index);
      nearest(gl);
      gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RG32UI, w, h);
      g.stencil = gl.createRenderbuffer();
      gl.bindRenderbuffer(gl.RENDERBUFFER, g.stencil);
      gl.renderbufferStorage(gl.RENDERBUFFER, gl.DEPTH24_STENCIL8, w, h);
      g.fbo = gl.createFramebuffer();
      gl.bindFramebuffer(gl.FRAMEBUFFER, g.fbo);
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, g.index, 0);
      gl.framebufferRenderbuffer(gl.FRAMEBUFFER, gl.DEPTH_STENCIL_ATTACHMENT, gl.RENDERBUFFER, g.stencil);
      g.indexW = w;
      g.indexH = h;
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, g.fbo);
    gl.viewport(0, 0, w, h);
    gl.disable(gl.SCISSOR_TEST);
    gl.disable(gl.BLEND);
    gl.colorMask(true, true, true, true);
    gl.clearBufferuiv(gl.COLOR, 0, [0, 0, 0, 0]);
    gl.useProgram(p.program);
    gl.uniformMatrix4fv(p.u.matrix!, false, matrix);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, g.tris);
    gl.drawElements(gl.TRIANGLES, this.mesh.triangles.length, gl.UNSIGNED_INT, 0);
    if (outlined) {
      // The edges counted per pixel in the stencil, then written as counts 1…MAX_COUNT (one quad each).
      gl.clearBufferfi(gl.DEPTH_STENCIL, 0, 1, 0);
      gl.enable(gl.STENCIL_TEST);
      gl.stencilMask(0xff);
      gl.stencilFunc(gl.ALWAYS, 0, 0xff);
      gl.stencilOp(gl.KEEP, gl.KEEP, gl.INCR);
      gl.colorMask(false, false, false, false);
      gl.useProgram(ps.line.program);
      gl.uniformMatrix4fv(ps.line.u.matrix!, false, matrix);
      gl.uniform1ui(ps.line.u.count!, 0);
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, g.edges);
      gl.drawElements(gl.LINES, this.mesh.edges.length, gl.UNSIGNED_INT, 0);
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, g.tris);
      gl.stencilOp(gl.KEEP, gl.KEEP, gl.KEEP);
      gl.colorMask(false, true, false, false);
      const q = ps.count;
      gl.useProgram(q.program);
      gl.uniformMatrix4fv(q.u.matrix!, false, matrix);
      gl.uniform4f(q.u.box!, ...box);
      for (let k = 1; k <= MAX_COUNT; k++) {
        gl.stencilFunc(k < MAX_COUNT ? gl.EQUAL : gl.LEQUAL, k, 0xff);
        gl.uniform1ui(q.u.count!, k);
        gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
      }
      gl.disable(gl.STENCIL_TEST);
      gl.colorMask(true, true, true, true);
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, target);
    gl.viewport(0, 0, w, h);
    g.drawnWith = matrix;
    g.outlined = outlined;
  }

  render(gl: WebGL2RenderingContext, options: CustomRenderMethodInput): void {
    const ps = programsFor(gl);
    if (!linked(gl, ps.index) || !linked(gl, ps.color) || !linked(gl, ps.line) || !linked(gl, ps.count)) {
      this.waiting = true;
      this.map?.triggerRepaint(); // drawn once linked
      return;
    }
    this.waiting = false;
    const g = (this.gl ??= this.setUp(gl));
    // The offsets' origin folded into the matrix in double precision: Float32 vertices stay exact at any zoom.
    const m = Array.from(options.defaultProjectionData.mainMatrix as ArrayLike<number>);
    const { originX: ox, originY: oy } = this.mesh;
    for (let r = 0; r < 4; r++) m[12 + r] += m[r] * ox + m[4 + r] * oy;
    const matrix = new Float32Array(m);
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.STENCIL_TEST);
    gl.disable(gl.CULL_FACE);
    gl.bindVertexArray(g.vao);
    const zoom = this.map?.getZoom() ?? 0;
    const outlined = zoom >= this.outlineMinZoom && this.mesh.edges.length > 0;
    // The box two pixels wider each way (a world of 512 · 2^zoom pixels): outlines on its edges stay in the quads.
    const pad = 2 / (512 * 2 ** zoom);
    const [x0, y0, x1, y1] = g.box;
    const box: Box = [x0 - pad, y0 - pad, x1 + pad, y1 + pad];
    if (
      !sameMatrix(g.drawnWith, matrix) ||
      outlined !== g.outlined ||
      g.indexW !== gl.drawingBufferWidth ||
      g.indexH !== gl.drawingBufferHeight
    ) {
      this.drawIndex(gl, g, ps, matrix, box, outlined);
    }
    gl.activeTexture(gl.TEXTURE0);
    if (this.dirty) this.upload(gl, g);
    gl.bindTexture(gl.TEXTURE_2D, g.texture);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, g.index);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    const c = ps.color;
    gl.useProgram(c.program);
    gl.uniformMatrix4fv(c.u.matrix!, false, matrix);
    gl.uniform4f(c.u.box!, ...box);
    gl.uniform4f(c.u.line!, ...LINE);
    gl.uniform1i(c.u.colors!, 0);
    gl.uniform1i(c.u.index!, 1);
    gl.uniform1i(c.u.width!, g.width);
    gl.uniform1f(c.u.opacity!, this.opacity);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindVertexArray(null);
  }
}

/** Nearest texels, clamped, on the bound 2D texture. */
function nearest(gl: WebGL2RenderingContext): void {
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
}
