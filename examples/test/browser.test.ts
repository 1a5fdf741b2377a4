/// <reference lib="dom" />
// The browser example end to end in headless Chromium (Debian's `chromium`, installed by .ci/run, driven by
// playwright-core): build the page with Vite, serve it, upload the bundled CSV, map the columns, fit with chains on
// Web Workers, and check the gate, the charts, the budget and the report link appear. A screenshot is kept in
// artifacts/. Without Chromium on a developer's machine the test is skipped; in CI (CI=true) it must run.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, preview, type PreviewServer } from 'vite';
import type { Browser } from 'playwright-core';
import { launchChromium, runBrowserTests } from '../../scripts/browser-test.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

describe.runIf(runBrowserTests)('browser example in Chromium', () => {
  let server: PreviewServer;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const configFile = here('../browser/vite.config.ts');
    await build({ configFile, logLevel: 'error' });
    server = await preview({ configFile, preview: { port: 0, strictPort: false, host: '127.0.0.1' }, logLevel: 'error' });
    url = server.resolvedUrls!.local[0];
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
  });

  it('fits an uploaded CSV on Web Workers and shows the gate, charts and budget', { timeout: 240_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1240, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let workers = 0;
    page.on('worker', () => workers++);
    await page.goto(url);
    await page.setInputFiles('#file', here('../data/weekly_national.csv'));
    await page.waitForSelector('#mapping:not([hidden])');
    // the columns were guessed from the file: date, target, five channels, two controls
    expect(await page.inputValue('#date-col')).toBe('date');
    expect(await page.inputValue('#target-col')).toBe('sales');
    expect(await page.$$eval('input[name=channel]:checked', (b) => b.map((x) => (x as HTMLInputElement).value))).toEqual([
      'tv',
      'search',
      'social',
      'display',
      'radio',
    ]);
    expect(await page.$$eval('input[name=control]:checked', (b) => b.map((x) => (x as HTMLInputElement).value))).toEqual([
      'price_index',
      'competitor_index',
    ]);

    // a mapping mistake shows the library's typed error, not a crash
    await page.uncheck('input[name=channel][value=tv]');
    await page.check('input[name=channel][value=sales]');
    await page.click('#fit');
    await page.waitForFunction(() => (document.getElementById('error')?.textContent ?? '') !== '');
    expect(await page.textContent('#error')).toMatch(/sales/);
    await page.uncheck('input[name=channel][value=sales]');
    await page.check('input[name=channel][value=tv]');

    await page.fill('#chains', '2');
    await page.fill('#warmup', '150');
    await page.fill('#draws', '100');
    await page.click('#fit');
    await page.waitForSelector('#results:not([hidden])', { timeout: 200_000 });
    expect(errors).toEqual([]);
    expect(await page.textContent('#error')).toBe('');
    expect(workers).toBeGreaterThanOrEqual(2);
    expect(await page.$eval('#progress', (p) => (p as HTMLProgressElement).value)).toBe(1);
    expect(await page.textContent('#gate')).toMatch(/Convergence gate (passed|failed): max R-hat \d\.\d{3}/);
    expect(await page.$$eval('#charts svg.mmm-chart', (s) => s.map((x) => x.getAttribute('data-kind')))).toEqual([
      'forest',
      'line',
      'stacked-area',
      'line',
    ]);
    expect(await page.$$eval('#summary tbody tr', (r) => r.length)).toBe(5);
    expect(await page.$$eval('#budget tbody tr', (r) => r.length)).toBe(5);
    expect(await page.getAttribute('#download', 'href')).toMatch(/^blob:/);
    // every channel's ROAS is a finite positive number on the page
    const roas = await page.$$eval('#summary tbody tr td:nth-child(2)', (c) => c.map((x) => Number(x.textContent)));
    for (const v of roas) expect(v).toBeGreaterThan(0);
    const dir = here('../../artifacts');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: `${dir}/browser-example.png`, fullPage: true });
    await page.close();
  });
});
