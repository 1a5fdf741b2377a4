// The job queue end to end: a local redis-server, two `mmm worker` processes, a batch of 10 fits with one bad job,
// one worker killed in the middle of a fit. Needs Debian's redis-server (installed by .ci/run); skipped with a
// message when it is missing outside CI.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRedis, type LocalRedis } from '../src/index.js';
import { assertBuilt, BIN, csvRows, DATA, mmm } from './helpers.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis && !process.env.CI) console.warn('queue tests skipped: redis-server is not installed (apt-get install redis-server)');

interface WorkerProcess {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

function startWorkerProcess(args: string[]): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, log: () => log, exited };
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!hasRedis && !process.env.CI)('mmm worker and mmm batch on Redis', () => {
  let redis: LocalRedis;
  let dir: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    assertBuilt();
    redis = await startLocalRedis();
    dir = mkdtempSync(join(tmpdir(), 'mmm-queue-'));
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fits 10 jobs on 2 workers, one killed mid-fit: 9 results stored once, the bad job’s typed error recorded', async () => {
    const store = join(dir, 'results');
    const common = [
      '--redis',
      redis.url,
      '--store',
      store,
      '--concurrency',
      '1',
      '--threads',
      '1',
      '--lock-duration',
      '2000',
      '--stalled-interval',
      '1000',
    ];
    const a = startWorkerProcess(common);
    const b = startWorkerProcess(common);
    workers.push(a, b);
    await until('two workers ready', () => a.log().includes('on queue mmm-fits') && b.log().includes('on queue mmm-fits'), 20_000);

    // the first job samples long enough to be killed in the middle; the others are quick classical fits
    const rows = readFileSync(join(DATA, 'weekly_national.csv'), 'utf8');
    writeFileSync(join(dir, 'national.csv'), rows);
    const quick = { method: 'ridge', search: { candidates: 30 }, bootstrap: { resamples: 10 } };
    const jobs = [
      { id: 'slow', data: 'national.csv', options: { chains: 2, warmup: 1500, draws: 1000, seed: 1 } },
      ...Array.from({ length: 8 }, (_, i) => ({ id: `market-${i + 1}`, data: 'national.csv', options: { ...quick, seed: i + 1 } })),
      { id: 'bad', data: 'national.csv', options: { ...quick, channels: ['tv', 'no_such_column'] } },
    ];
    writeFileSync(
      join(dir, 'jobs.json'),
      JSON.stringify({ defaults: { date: 'date', target: 'sales', channels: ['tv', 'search', 'radio'], controls: ['price_index'] }, jobs }),
    );
    const batch = mmm(['batch', join(dir, 'jobs.json'), '--redis', redis.url, '--attempts', '3']);

    // kill whichever worker started the slow fit, while it samples
    await until('the slow job to start', () => /start slow attempt 1/.test(a.log() + b.log()), 30_000);
    const victim = /start slow/.test(a.log()) ? a : b;
    const survivor = victim === a ? b : a;
    await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(join(store, 'slow'))).toBe(false);
    victim.child.kill('SIGKILL');
    await victim.exited;

    const r = await batch;
    expect(r.code).toBe(4); // some jobs failed: the bad one
    expect(r.stdout).toContain('9 of 10 jobs completed, 1 failed');
    const good = jobs
      .filter((j) => j.id !== 'bad')
      .map((j) => j.id)
      .sort();
    expect(
      readdirSync(store)
        .filter((f) => !f.startsWith('.') && !f.endsWith('.json'))
        .sort(),
    ).toEqual(good);
    for (const id of good) {
      expect(readdirSync(join(store, id)).sort()).toEqual([
        'contributions.csv',
        'fit.json',
        'report.html',
        'review.json',
        'roas.csv',
        'run.json',
      ]);
      const fit = JSON.parse(readFileSync(join(store, id, 'fit.json'), 'utf8'));
      expect(Object.keys(fit.channels)).toEqual(['tv', 'search', 'radio']);
      expect(csvRows(readFileSync(join(store, id, 'roas.csv'), 'utf8'))).toHaveLength(3);
    }
    // no half-written results left behind
    expect(readdirSync(store).filter((f) => f.startsWith('.'))).toEqual([]);
    // the killed worker's job ran again on the survivor, and every result was stored exactly once
    const done = (log: string) => [...log.matchAll(/done (\S+): stored/g)].map((m) => m[1]);
    expect(done(victim.log())).not.toContain('slow');
    expect(done(survivor.log())).toContain('slow');
    expect([...done(a.log()), ...done(b.log())].sort()).toEqual(good);
    const slow = JSON.parse(readFileSync(join(store, 'slow', 'fit.json'), 'utf8'));
    expect(slow.settings).toMatchObject({ chains: 2, warmup: 1500, draws: 1000, seed: 1 });
    // the bad job failed once (a typed input error is not retried), with its error recorded
    const err = JSON.parse(readFileSync(join(store, 'bad.error.json'), 'utf8'));
    expect(err).toMatchObject({ code: 'INVALID_INPUT', field: 'columns.no_such_column', attempts: 1 });
    expect(r.stdout).toMatch(/\| bad \| failed \| 1 \| columns\.no_such_column: is not in the data/);
    // submitting the batch again runs nothing twice: finished ids are on the queue already
    const again = await mmm(['batch', join(dir, 'jobs.json'), '--redis', redis.url]);
    expect(again.stdout).toContain('9 of 10 jobs completed, 1 failed');
    expect([...done(a.log()), ...done(b.log())].sort()).toEqual(good);
  }, 180_000);

  it('stops a fit at its time limit and records the timeout after the last attempt', async () => {
    const store = join(dir, 'timeouts');
    const w = startWorkerProcess(['--redis', redis.url, '--queue', 'timeouts', '--store', store, '--threads', '1']);
    workers.push(w);
    await until('the worker', () => w.log().includes('on queue timeouts'), 20_000);
    writeFileSync(
      join(dir, 'timeout.json'),
      JSON.stringify([
        {
          id: 'long',
          data: 'national.csv',
          timeoutSeconds: 1,
          options: { date: 'date', target: 'sales', channels: ['tv'], chains: 1, warmup: 20000, draws: 20000 },
        },
      ]),
    );
    const t0 = Date.now();
    const r = await mmm(['batch', join(dir, 'timeout.json'), '--redis', redis.url, '--queue', 'timeouts', '--attempts', '1']);
    expect(r.code).toBe(4);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(JSON.parse(readFileSync(join(store, 'long.error.json'), 'utf8'))).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    // the worker stops cleanly on SIGTERM
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 60_000);
});
