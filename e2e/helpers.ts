/** Shared steps and checks for the workbench's end-to-end tests. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';
import { unzlibSync } from 'fflate';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLES = join(ROOT, 'public', 'samples');
export const SCREENS = join(ROOT, 'test-results', 'screens');

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface ModelInfo {
  name: string;
  title: string;
  inputs: string[];
  sample?: string;
  params: Record<string, { type: string; default?: unknown; min?: number; max?: number }>;
  bands?: { name: string; categories?: Record<string, string> }[];
  columns?: { name: string; categories?: Record<string, string> }[];
  output: { kind: string; extension: string };
}

export interface SampleInfo {
  file: string;
  title: string;
  kind: 'raster' | 'vector';
  models: string[];
}

/** Open the page (with the test hooks) and wait for the model catalogue. */
export async function openWorkbench(page: Page, query = ''): Promise<void> {
  await page.goto(`/?e2e=1${query ? `&${query}` : ''}`);
  await expect(page.getByTestId('model-select')).toBeEnabled();
  await expect(page.getByTestId('model-select').locator('option').first()).toBeAttached();
}

/** The registered executors, as the page's worker lists them. */
export async function listModels(page: Page): Promise<ModelInfo[]> {
  return page.evaluate(async () => {
    const hook = (globalThis as unknown as { __dissmodel: { worker: { listExecutors(): Promise<unknown[]> } } }).__dissmodel;
    return (await hook.worker.listExecutors()) as never;
  });
}

export async function listSamples(page: Page): Promise<SampleInfo[]> {
  const res = await page.request.get('/samples/index.json');
  expect(res.ok(), 'public/samples/index.json is served').toBeTruthy();
  return (await res.json()) as SampleInfo[];
}

export async function selectModel(page: Page, name: string): Promise<void> {
  await page.getByTestId('model-select').selectOption(name);
  await expect(page.getByTestId('model-select')).toHaveValue(name);
}

export async function setParam(page: Page, name: string, value: string): Promise<void> {
  const input = page.getByTestId(`param-${name}`).locator('input').first();
  await input.fill(value);
}

/** Pick a bundled sample in the dataset panel and wait until it is read. */
export async function pickSample(page: Page, file: string): Promise<void> {
  await page.getByTestId(`sample-${file}`).click();
  await expect(page.getByTestId('dataset-name')).toHaveText(file);
  await expect(page.getByTestId('dataset-sha256')).toHaveText(/^[0-9a-f]{64}$/);
}

export async function runStatus(page: Page): Promise<string> {
  return (await page.getByTestId('run-status').getAttribute('data-status')) ?? '';
}

/** Click Run and wait for the run to end; returns the final status. */
export async function runAndWait(page: Page, timeout = 120_000): Promise<string> {
  const button = page.getByTestId('run-button');
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page.getByTestId('run-status')).not.toHaveAttribute('data-status', /^(idle|running)$/, { timeout });
  return runStatus(page);
}

/** Drop a file on the drop zone through a real DataTransfer 'drop' event. */
export async function dropFile(page: Page, name: string, bytes: Uint8Array, type = 'application/octet-stream'): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, data, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type }));
      return dt;
    },
    { name, data: Array.from(bytes), type },
  );
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

export const readSample = (file: string): Uint8Array => new Uint8Array(readFileSync(join(SAMPLES, file)));

// ---------- a tiny PNG decoder (8-bit RGB / RGBA, non-interlaced), for screenshots ----------

export interface Png {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Uint8Array;
}

export function decodePng(buf: Uint8Array): Png {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  sig.forEach((b, i) => {
    if (buf[i] !== b) throw new Error('not a PNG');
  });
  let off = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = 0;
  let interlace = 0;
  const idat: Uint8Array[] = [];
  while (off < buf.length) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(...buf.subarray(off + 4, off + 8));
    const body = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = dv.getUint32(off + 8);
      height = dv.getUint32(off + 12);
      bitDepth = body[8];
      colorType = body[9];
      interlace = body[12];
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) {
    throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
  }
  const total = idat.reduce((n, c) => n + c.length, 0);
  const z = new Uint8Array(total);
  let p = 0;
  for (const c of idat) {
    z.set(c, p);
    p += c.length;
  }
  const raw = unzlibSync(z);
  const bpp = colorType === 6 ? 4 : 3;
  const stride = width * bpp;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.slice(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? line[x - bpp] : 0;
      const b = prev[x];
      const c = x >= bpp ? prev[x - bpp] : 0;
      let v = line[x];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const pp = a + b - c;
        const pa = Math.abs(pp - a);
        const pb = Math.abs(pp - b);
        const pc = Math.abs(pp - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[x] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      out[(y * width + x) * 4] = line[x * bpp];
      out[(y * width + x) * 4 + 1] = line[x * bpp + 1];
      out[(y * width + x) * 4 + 2] = line[x * bpp + 2];
      out[(y * width + x) * 4 + 3] = bpp === 4 ? line[x * bpp + 3] : 255;
    }
    prev = line;
  }
  return { width, height, data: out };
}

/**
 * The rectangle of pixels that are not background, ignoring a margin where map
 * controls and overlays sit: its size, its share of the image, how much of it is
 * painted, and how many dark pixels (live cells: R + G + B below `darkBelow`) it has.
 */
export function paintedArea(png: Png, bg: [number, number, number], tolerance = 12, darkBelow = 200) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  const isBg = (i: number) =>
    Math.abs(png.data[i] - bg[0]) <= tolerance &&
    Math.abs(png.data[i + 1] - bg[1]) <= tolerance &&
    Math.abs(png.data[i + 2] - bg[2]) <= tolerance;
  // Scan the central band of rows/columns (overlays live near the edges).
  for (let y = 50; y < png.height - 90; y++) {
    for (let x = 140; x < png.width - 260; x++) {
      if (!isBg((y * png.width + x) * 4)) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return { width: 0, height: 0, share: 0, filled: 0, dark: 0 };
  let painted = 0;
  let dark = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = (y * png.width + x) * 4;
      if (!isBg(i)) painted++;
      if (png.data[i] + png.data[i + 1] + png.data[i + 2] < darkBelow) dark++;
    }
  }
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  return { width: w, height: h, share: (w * h) / (png.width * png.height), filled: painted / (w * h), dark };
}

/** The map's background colour (MAP_BACKGROUND in src/app/map/MapView.tsx). */
export const MAP_BG: [number, number, number] = [0xe4, 0xe9, 0xef];

/** Agree to the page's question before it fetches a URL (src/app/consent), ticking the local-address box when it is asked. */
export async function acceptConsent(page: Page): Promise<void> {
  const dialog = page.getByTestId('consent-dialog');
  await expect(dialog).toBeVisible();
  const tick = dialog.getByTestId('consent-understood');
  if (await tick.count()) await tick.check();
  await dialog.getByTestId('consent-accept').click();
  await expect(dialog).toHaveCount(0);
}
