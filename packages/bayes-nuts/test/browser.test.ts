// Chains on browser Web Workers, end to end in headless Chromium (Debian's `chromium`, installed by .ci/run; driven by
// playwright-core): the page runs sampleParallel on module workers and the sequential sample, and the draws must be
// bit-identical. Without Chromium on a developer's machine the test is skipped; in CI (CI=true) it must run.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchChromium, runBrowserTests } from '../../../scripts/browser-test.js';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

describe.runIf(runBrowserTests)('sampleParallel on Web Workers in Chromium', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmm-browser-'));
    writeFileSync(
      join(dir, 'page.ts'),
      `import { sample } from ${JSON.stringify(src('../src/index.ts'))};
       import { sampleParallel } from ${JSON.stringify(src('../src/parallel/browser.ts'))};
       import { eightSchoolsTarget } from ${JSON.stringify(src('./factory.ts'))};
       const settings = { seed: 42, chains: 3, warmup: 200, draws: 150 };
       const progress = new Set<number>();
       const par = await sampleParallel({ module: new URL('./factory.js', location.href).href, export: 'eightSchoolsTarget', data: { centred: false } },
         { ...settings, workers: 2, progressEvery: 100, onProgress: (p) => progress.add(p.chain) });
       const seq = sample(eightSchoolsTarget({ centred: false }), settings);
       const same = par.chains.every((c, i) => c.draws.length === seq.chains[i].draws.length && c.draws.every((v, k) => Object.is(v, seq.chains[i].draws[k])));
       (window as any).__result = { same, chains: par.chains.length, dim: par.dim, draws: par.draws, progress: [...progress].sort(), head: Array.from(par.chains[2].draws.slice(0, 4)) };`,
    );
    const common = {
      bundle: true,
      format: 'esm' as const,
      platform: 'browser' as const,
      target: 'es2022',
      conditions: ['@mmm/source', 'browser'],
      outdir: dir,
      logLevel: 'silent' as const,
    };
    await build({
      ...common,
      entryPoints: { page: join(dir, 'page.ts'), factory: src('./factory.ts'), 'browser-worker': src('../src/parallel/browser-worker.ts') },
    });
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><title>mmm</title></head><body><script type="module" src="./page.js"></script></body></html>',
    );
    server = createServer((req, res) => {
      const name = (req.url ?? '/').split('?')[0].replace(/^\/+/, '') || 'index.html';
      const file = join(dir, name);
      if (!/^[\w.-]+$/.test(name) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': name.endsWith('.html') ? 'text/html' : 'text/javascript' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same draws as the sequential run in the same engine', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(
      () => (window as unknown as { __result?: unknown }).__result !== undefined || document.title === 'failed',
      undefined,
      { timeout: 110_000 },
    );
    const r = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as {
      same: boolean;
      chains: number;
      dim: number;
      draws: number;
      progress: number[];
      head: number[];
    };
    expect(errors).toEqual([]);
    expect(r.chains).toBe(3);
    expect(r.dim).toBe(10);
    expect(r.draws).toBe(150);
    expect(r.progress).toEqual([0, 1, 2]);
    expect(r.same).toBe(true);
    await page.close();
  });
});
