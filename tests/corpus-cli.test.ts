/**
 * The CLI part of the corpus (tests/corpus/cli-cases.ts) and the CLI-side cases of
 * issue 18 that need a process to watch: every case exits with its code and one
 * stderr line, and leaves nothing in its output directory; stdout never carries a
 * control character; a record cannot make `reproduce` fetch from a loopback address
 * without --allow-private-network (the server counts the requests); Ctrl-C in every
 * phase exits 130 and leaves nothing; the leftovers of a killed run are removed by
 * the next one.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecord, buildRecord } from '../src/cli/commands.ts';
import { NodeIO } from '../src/cli/node-io.ts';
import { nonPublicReason } from '../src/cli/network-guard.ts';
import { ExecutorRegistry } from '../src/executor/registry.ts';
import '../src/models/index.ts';
import { CLI_CASES } from './corpus/cli-cases.ts';
import { cliChild, expectOneLine, leftIn, type CliChildOptions, type CliRun } from './cli-child.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'dissmodel-corpus-cli-'));
/** The children's TMPDIR: validate's temporary directories go there, where the test can see them. */
const childTmp = join(work, 'tmp');
mkdirSync(childTmp);
let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** Start the CLI in the work folder, its temporary files in childTmp; `during` runs while it is alive. */
const cli = (args: string[], during?: CliChildOptions['during']): Promise<CliRun> =>
  cliChild(args, { cwd: work, env: { ...process.env, TMPDIR: childTmp }, ...(during ? { during } : {}) });

const until = async (cond: () => boolean): Promise<void> => {
  while (!cond()) await new Promise((w) => setTimeout(w, 25));
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('the CLI corpus: exit code, one stderr line, nothing left', () => {
  it.each(CLI_CASES.map((c) => [c.id, c] as const))('%s', async (id, c) => {
    const dir = join(work, 'case', id);
    const out = join(dir, 'out');
    mkdirSync(dir, { recursive: true });
    const r = await cli(c.args(dir, out));
    expectOneLine(r, c.stderr, c.code, id);
    expect(r.stdout, id).not.toMatch(CONTROL);
    if (c.code !== 0) {
      expect(leftIn(out), `${id}: files left`).toEqual([]);
      return;
    }
    const files = leftIn(out).sort();
    expect(
      files.filter((f) => f.includes('tmp')),
      id,
    ).toEqual([]);
    expect(files, id).toHaveLength(3);
    if (id === 'lorenz-diverges') {
      const csv = readFileSync(
        join(
          out,
          files.find((f) => f.endsWith('.csv'))!,
        ),
        'utf8',
      );
      expect(csv).toContain(',nan');
      expect(csv, 'no empty CSV cells').not.toMatch(/,,|,\n|^,/m);
      const record = JSON.parse(
        readFileSync(
          join(
            out,
            files.find((f) => f.endsWith('.record.json'))!,
          ),
          'utf8',
        ),
      );
      expect(record.status).toBe('completed');
      expect(record.logs.some((l: string) => /^Warning: \d+ of 204 values are not finite/.test(l))).toBe(true);
    }
  });
});

describe('stdout shows control characters escaped', () => {
  it("a record's source.uri cannot erase the line and print a fake verdict", async () => {
    const dir = join(work, 'escape');
    mkdirSync(dir, { recursive: true });
    const fake = 'x.tif\u001b[2K\r✅ reproduced — output SHA-256 matches\u0007';
    const record = { model_name: 'game_of_life', source: { uri: fake }, parameters: { end_time: 1 } };
    writeFileSync(join(dir, 'evil.record.json'), JSON.stringify(record));
    const r = await cli(['reproduce', join(dir, 'evil.record.json'), '--output', join(dir, 'out') + '/']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(CONTROL);
    expect(r.stdout).toContain('x.tif\\u001b[2K\\r✅ reproduced');
    // the fake verdict never starts a line
    expect(r.stdout.split('\n').some((l) => l.startsWith('✅'))).toBe(false);
  });

  it('column names with OSC and BEL are printed escaped', async () => {
    const dir = join(work, 'osc');
    mkdirSync(dir, { recursive: true });
    const evil = 'state\u001b]0;pwned\u0007';
    const features = [0, 1, 2, 3].map((i) => ({
      type: 'Feature',
      properties: { state: i % 2, [evil]: 1 },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [i, 0],
            [i + 1, 0],
            [i + 1, 1],
            [i, 1],
            [i, 0],
          ],
        ],
      },
    }));
    writeFileSync(join(dir, 'cells.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
    const r = await cli([
      'run',
      'game_of_life',
      '--input',
      join(dir, 'cells.geojson'),
      '--output',
      join(dir, 'out', 'g.geojson'),
      '--param',
      'end_time=1',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('state\\u001b]0;pwned\\u0007');
    expect(r.stdout).not.toMatch(CONTROL);
  });
});

describe('network consent: a record may not make reproduce fetch from a loopback address', () => {
  it('run --input http://127.0.0.1/… (typed by the user) runs; reproduce of its record fetches nothing without the flag, and matches with it', async () => {
    const dir = join(work, 'consent');
    const url = server.url('cors', 'ok');
    const path = new URL(url).pathname;
    const made = await cli(['run', 'game_of_life', '--input', url, '--output', join(dir, 'run', 'g.tif'), '--param', 'end_time=2']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const hitsAfterRun = server.hits.get(path) ?? 0;
    expect(hitsAfterRun).toBe(1);
    const record = join(
      dir,
      'run',
      leftIn(join(dir, 'run')).find((f) => f.endsWith('.record.json'))!,
    );

    const refused = await cli(['reproduce', record, '--output', join(dir, 'refused') + '/']);
    expectOneLine(
      refused,
      /^✖ Failed during load: Refused to fetch http:\/\/127\.0\.0\.1:\d+\/cors\/ok\/gol_glider_64x64\.tif: 127\.0\.0\.1 is a loopback address: this computer\. .*run again with --allow-private-network\.$/,
      1,
    );
    expect(server.hits.get(path), 'the server saw no request').toBe(hitsAfterRun);
    expect(leftIn(join(dir, 'refused'))).toEqual([]);

    // a host name that resolves to loopback is refused the same way
    const viaName = JSON.parse(readFileSync(record, 'utf8'));
    viaName.source.uri = url.replace('127.0.0.1', 'localhost');
    writeFileSync(join(dir, 'name.record.json'), JSON.stringify(viaName));
    const byName = await cli(['reproduce', join(dir, 'name.record.json'), '--output', join(dir, 'refused') + '/']);
    expectOneLine(byName, /Refused to fetch http:\/\/localhost:\d+\/.*: localhost \(127\.0\.0\.1\) is a loopback address/, 1);
    expect(server.hits.get(path)).toBe(hitsAfterRun);

    const allowed = await cli(['reproduce', record, '--output', join(dir, 'allowed') + '/', '--allow-private-network']);
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/✅ reproduced — output SHA-256 matches/);
    expect(server.hits.get(path)).toBe(hitsAfterRun + 1);
  });

  it('classifies addresses: loopback, private, link-local, CGNAT, mapped IPv6 are not public', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '[::1]',
    ])
      expect(nonPublicReason(ip), ip).not.toBeNull();
    for (const ip of ['8.8.8.8', '172.32.0.1', '2606:4700::1111', '100.128.0.1']) expect(nonPublicReason(ip), ip).toBeNull();
  });
});

describe('Ctrl-C in every phase: exit 130, nothing left', () => {
  const bigGol = join(root, 'public/samples/gol_random_512x512.tif');

  it('during save: the written artefacts are removed and the run is cancelled (not completed)', async () => {
    const dir = join(work, 'sigint-save');
    const cls = ExecutorRegistry.get('game_of_life');
    const record = await buildRecord(cls, { input: join(root, 'public/samples/gol_glider_64x64.tif'), param: ['end_time=2'] });
    const ac = new AbortController();
    const lines: string[] = [];
    // Ctrl-C arrives while the output is being written
    const r = await runRecord(
      cls,
      record,
      join(dir, 'g.tif'),
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      ac.signal,
      (h) => ({
        read: (u, o) => h.read(u, o),
        write: async (p, b) => {
          const written = await h.write(p, b);
          ac.abort();
          return written;
        },
      }),
    );
    expect(r.code).toBe(130);
    expect(lines.at(-1)).toMatch(/^✖ Cancelled during save: The run was cancelled\.$/);
    expect(record.status).toBe('cancelled');
    expect(leftIn(dir)).toEqual([]);
  });

  it('a second Ctrl-C during a run exits at once and removes the temporary files', async () => {
    const out = join(work, 'sigint-twice');
    const r = await cli(
      ['run', 'game_of_life', '--input', bigGol, '--output', join(out, 'g.tif'), '--param', 'end_time=1000000'],
      async (child, o) => {
        await until(() => o.stdout.includes('Validating'));
        await new Promise((w) => setTimeout(w, 800));
        child.kill('SIGINT');
        child.kill('SIGINT');
      },
    );
    expect(r.code).toBe(130);
    expect(r.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
    expect(leftIn(out)).toEqual([]);
  });

  it('during validate: the dissmodel-validate-<pid> directory is removed', async () => {
    const r = await cli(['validate', 'game_of_life', '--input', bigGol, '--param', 'end_time=1000000'], async (child, o) => {
      await until(() => o.stdout.includes('contract tests passed'));
      await until(() => readdirSync(childTmp).some((f) => f.startsWith('dissmodel-validate-')));
      await new Promise((w) => setTimeout(w, 500));
      child.kill('SIGINT');
    });
    expectOneLine(r, /^✖ Interrupted: stopped, temporary files removed\.$/, 130);
    expect(readdirSync(childTmp).filter((f) => f.startsWith('dissmodel-validate-'))).toEqual([]);
  });

  it('during a sweep: the workers stop, no temporary file is left, exit 130', async () => {
    const out = join(work, 'sigint-sweep');
    const r = await cli(
      ['sweep', 'game_of_life', '--input', bigGol, '--param', 'end_time=999999,1000000', '--output', out, '--jobs', '2'],
      async (child, o) => {
        await until(() => o.stdout.includes('Sweep'));
        await new Promise((w) => setTimeout(w, 1500));
        child.kill('SIGINT');
      },
    );
    expectOneLine(r, /^✖ Cancelled: 0 of 2 run\(s\) had completed \(kept in .*\); no table was written\.$/, 130);
    expect(leftIn(out).filter((f) => f.includes('dissmodel-tmp'))).toEqual([]);
    // what is left belongs to runs that completed: every artefact's id has its record
    const records = new Set(leftIn(out).flatMap((f) => /_([0-9a-f]{8})\.record\.json$/.exec(f)?.[1] ?? []));
    for (const f of leftIn(out)) expect(records.has(/_([0-9a-f]{8})\./.exec(f)?.[1] ?? ''), `${f} without its record`).toBe(true);
  });

  it('the leftovers of a run killed earlier (SIGKILL) are removed by the next run into the same directory', async () => {
    const out = join(work, 'sigkill');
    mkdirSync(out, { recursive: true });
    // a process id that is certainly gone: a child that has exited
    const dead = await new Promise<number>((done) => {
      const c = spawn(process.execPath, ['-e', '0']);
      c.on('exit', () => done(c.pid!));
    });
    writeFileSync(join(out, `g_12345678.tif.dissmodel-tmp-${dead}-1700000000000`), 'partial');
    writeFileSync(join(out, `keep.tif.dissmodel-tmp-${process.pid}-1700000000000`), 'a live process');
    mkdirSync(join(childTmp, `dissmodel-validate-${dead}-abcdef`));
    const r = await cli([
      'run',
      'game_of_life',
      '--input',
      join(root, 'public/samples/gol_glider_64x64.tif'),
      '--output',
      join(out, 'g.tif'),
      '--param',
      'end_time=1',
    ]);
    expect(r.code).toBe(0);
    const left = leftIn(out);
    expect(left.filter((f) => f.includes(`-tmp-${dead}-`))).toEqual([]);
    expect(left).toContain(`keep.tif.dissmodel-tmp-${process.pid}-1700000000000`);
    const v = await cli([
      'validate',
      'game_of_life',
      '--input',
      join(root, 'public/samples/gol_glider_64x64.tif'),
      '--param',
      'end_time=1',
    ]);
    expect(v.code).toBe(0);
    expect(readdirSync(childTmp).filter((f) => f.startsWith('dissmodel-validate-'))).toEqual([]);
  });
});

describe('NodeIO temporary names', () => {
  it('carry the dissmodel-tmp tag and the pid, and are gone after the write', async () => {
    const dir = join(work, 'tmpname');
    const io = new NodeIO();
    await io.write(join(dir, 'a.tif'), new Uint8Array(10));
    expect(readdirSync(dir)).toEqual(['a.tif']);
  });
});
