/**
 * The services a platform test needs, started for real on loopback and stopped
 * after on every exit path: Debian's redis-server (AOF on, in a temporary
 * directory, on a free port), s3rver (an S3-compatible server from npm that
 * checks SigV4 signatures, in this process), `dissmodel serve` (in this process)
 * and `dissmodel worker` processes (children, so they can be SIGKILLed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp as mkdtempAsync, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import S3rver from 's3rver';
import '../../src/models/index.ts';
import { loadConfig, type PlatformConfig } from '../../src/platform/config.ts';
import { buildServer, type PlatformServer } from '../../src/platform/server.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const API_KEY = 'test-key-0123';
/** s3rver's built-in credentials (it verifies signatures made with them). */
export const S3_KEY = 'S3RVER';

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
/** A temporary directory removed when the test process exits. */
export async function mkdtemp(prefix: string): Promise<string> {
  const dir = await mkdtempAsync(prefix);
  tempDirs.push(dir);
  return dir;
}
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

export interface RedisHandle {
  url: string;
  dir: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

export async function startRedis(): Promise<RedisHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'dissmodel-redis-'));
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--protected-mode',
        'yes',
      ],
      { stdio: 'ignore' },
    );
    children.add(proc);
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined); // refused until the server is up
    try {
      await until('redis-server', async () => {
        try {
          await r.connect();
        } catch {
          /* not yet */
        }
        return (await r.ping()) === 'PONG';
      });
    } finally {
      r.disconnect();
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await exited;
    children.delete(p);
    proc = null;
  };
  await start();
  return { url, dir, start, stop };
}

export interface S3Handle {
  endpoint: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  dir: string;
}

export async function startS3(buckets = ['dissmodel-inputs', 'dissmodel-outputs']): Promise<S3Handle> {
  const dir = await mkdtemp(join(tmpdir(), 'dissmodel-s3-'));
  const port = await freePort();
  let server: S3rver | null = null;
  const start = async () => {
    server = new S3rver({
      port,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      resetOnClose: false,
      configureBuckets: buckets.map((name) => ({ name })),
    });
    await server.run();
  };
  await start();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    dir,
    start,
    async stop() {
      await server?.close();
      server = null;
    },
  };
}

/** The DISSMODEL_* environment of a test stack. */
export function stackEnv(redis: RedisHandle, s3: S3Handle, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DISSMODEL_REDIS_URL: redis.url,
    DISSMODEL_S3_ENDPOINT: s3.endpoint,
    DISSMODEL_S3_ACCESS_KEY_ID: S3_KEY,
    DISSMODEL_S3_SECRET_ACCESS_KEY: S3_KEY,
    DISSMODEL_API_KEYS: `${API_KEY},second-key`,
    DISSMODEL_QUEUE: `q${Date.now().toString(36)}`,
    DISSMODEL_LOCK_MS: '5000',
    DISSMODEL_STALLED_INTERVAL_MS: '1000',
    DISSMODEL_RETRY_BACKOFF_MS: '300',
    DISSMODEL_S3_TIMEOUT_MS: '5000',
    ...extra,
  };
}

export interface ServeHandle {
  server: PlatformServer;
  url: string;
  config: PlatformConfig;
}

export async function startServe(env: Record<string, string>): Promise<ServeHandle> {
  const config = loadConfig({ ...env, DISSMODEL_PORT: '0' });
  const server = await buildServer(config);
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return { server, url, config };
}

export interface WorkerHandle {
  proc: ChildProcess;
  pid: number;
  log: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startWorkerProcess(env: Record<string, string>, args: string[] = []): Promise<WorkerHandle> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/dissmodel.js'), 'worker', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let text = '';
  proc.stdout?.on('data', (d) => (text += String(d)));
  proc.stderr?.on('data', (d) => (text += String(d)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  await until(`worker ${proc.pid} ready`, async () => {
    if (proc.exitCode !== null) throw new Error(`worker exited: ${text}`);
    return /ready/.test(text);
  });
  return {
    proc,
    pid: proc.pid as number,
    log: () => text,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill(signal);
        await exited;
      }
      children.delete(proc);
    },
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
