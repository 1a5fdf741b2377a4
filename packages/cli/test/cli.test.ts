import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { spendPerPeriod } from '@mmm/pipeline';
import { simulateBusiness } from '../../pipeline/test/customer-value-data.js';
import { assertBuilt, csvRows, DATA, mmm, mmmClosedOutput } from './helpers.js';

const national = join(DATA, 'weekly_national.csv');
const base = [
  '--date',
  'date',
  '--target',
  'sales',
  '--channels',
  'tv,search,social,display,radio',
  '--controls',
  'price_index,competitor_index',
];
let dir: string;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'mmm-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mmm --help', () => {
  it('lists every command and the exit codes', async () => {
    const r = await mmm(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['fit', 'optimize', 'plan', 'experiments', 'clv', 'value', 'worker', 'batch'])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${c} `, 'm'));
    expect(r.stdout).toContain('3 the convergence');
  });
  it('documents each command’s flags', async () => {
    const fit = await mmm(['fit', '--help']);
    expect(fit.code).toBe(0);
    for (const f of [
      '--date',
      '--target',
      '--channels',
      '--controls',
      '--geo',
      '--population',
      '--method',
      '--seed',
      '--config',
      '--out',
      '--no-remedy',
      '--no-local-step-size',
      '--allow-gate-failure',
    ])
      expect(fit.stdout).toContain(f);
    const w = await mmm(['worker', '--help']);
    for (const f of ['--redis', '--concurrency', '--store', '--timeout']) expect(w.stdout).toContain(f);
  });

  it('stops quietly when its reader closes (mmm --help | head): exit 0, nothing on stderr', async () => {
    for (const args of [['--help'], ['fit', '--help']]) {
      const r = await mmmClosedOutput(args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
});

describe('mmm fit', () => {
  it('fits the bundled data by ridge and writes fit.json, report.html and the CSV tables, which agree', async () => {
    const out = join(dir, 'ridge');
    const r = await mmm(['fit', national, ...base, '--method', 'ridge', '--seed', '3', '--out', out]);
    expect(r.stderr).toContain('search 100%');
    expect(r.code).toBe(0);
    for (const f of ['fit.json', 'report.html', 'contributions.csv', 'roas.csv', 'run.json']) expect(existsSync(join(out, f))).toBe(true);
    const fit = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    expect(fit.method).toBe('ridge');
    expect(fit.settings.seed).toBe(3);
    const roas = csvRows(readFileSync(join(out, 'roas.csv'), 'utf8'));
    expect(roas.map((x) => x.channel)).toEqual(['tv', 'search', 'social', 'display', 'radio']);
    for (const row of roas) {
      const c = fit.channels[row.channel];
      expect(Number(row.roas)).toBe(c.roas.mean);
      expect(Number(row.roas_lower)).toBe(c.roas.lower);
      expect(Number(row.spend)).toBe(c.spend);
      // ROAS is contribution / spend
      expect(Number(row.contribution) / Number(row.spend)).toBeCloseTo(Number(row.roas), 8);
    }
    const contrib = csvRows(readFileSync(join(out, 'contributions.csv'), 'utf8'));
    expect(contrib).toHaveLength(156);
    expect(Number(contrib[10].actual)).toBe(fit.data.target[10]);
    expect(Number(contrib[10].tv)).toBe(fit.contributions.channels.tv.mean[10]);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.options.channels).toEqual(['tv', 'search', 'social', 'display', 'radio']);
    // a second run with the same seed gives the same fit
    const again = await mmm(['fit', national, ...base, '--method', 'ridge', '--seed', '3', '--out', join(dir, 'ridge2'), '--no-report']);
    expect(again.code).toBe(0);
    const fit2 = JSON.parse(readFileSync(join(dir, 'ridge2', 'fit.json'), 'utf8'));
    expect(fit2.channels).toEqual(fit.channels);
    expect(existsSync(join(dir, 'ridge2', 'report.html'))).toBe(false);
  }, 120_000);

  it('reports a failed convergence gate with exit code 3 and still writes the files; --allow-gate-failure exits 0', async () => {
    // 2 chains × 100 draws cannot reach the gate's ESS of 400
    const out = join(dir, 'short');
    const args = ['fit', national, ...base, '--chains', '2', '--warmup', '150', '--draws', '100', '--seed', '2'];
    const r = await mmm([...args, '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('convergence gate FAILED');
    expect(r.stderr).toMatch(/sampling 100% .*ETA/);
    expect(existsSync(join(out, 'fit.json'))).toBe(true);
    const fit = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    expect(fit.diagnostics.passed).toBe(false);
    expect(fit.settings.chains).toBe(2);
    const ok = await mmm([...args, '--out', join(dir, 'short2'), '--allow-gate-failure', '--quiet']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).not.toContain('sampling');
  }, 120_000);

  it('reads options from --config (paths relative to the file); flags win', async () => {
    const cfg = join(dir, 'mmm.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        data: join('..', dir.split('/').pop()!, 'data.csv'),
        date: 'date',
        target: 'sales',
        channels: ['tv', 'search', 'radio'],
        method: 'lasso',
        seed: 5,
        search: { candidates: 40 },
        bootstrap: { resamples: 20 },
        out: 'from-config',
      }),
    );
    writeFileSync(join(dir, 'data.csv'), readFileSync(national));
    const r = await mmm(['fit', '--config', cfg, '--seed', '6']);
    expect(r.code).toBe(0);
    const fit = JSON.parse(readFileSync(join(dir, 'from-config', 'fit.json'), 'utf8'));
    expect(fit.method).toBe('lasso');
    expect(fit.settings.seed).toBe(6);
    expect(Object.keys(fit.channels)).toEqual(['tv', 'search', 'radio']);
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ date: 'date', target: 'sales', chanels: ['tv'] }));
    const bad = await mmm(['fit', national, '--config', join(dir, 'typo.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--config.chanels: is not an option');
  }, 120_000);

  it('exits 2 with the typed error’s message for a bad column, file, CSV or flag', async () => {
    const col = await mmm(['fit', national, '--date', 'date', '--target', 'sales', '--channels', 'tv,nope', '--out', join(dir, 'x')]);
    expect(col.code).toBe(2);
    expect(col.stderr).toContain('columns.nope: is not in the data. Available columns: date, tv');
    const file = await mmm(['fit', join(dir, 'missing.csv'), ...base]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('missing.csv does not exist');
    writeFileSync(join(dir, 'ragged.csv'), 'date,sales,tv\n2024-01-01,1,2\n2024-01-08,3\n');
    const ragged = await mmm(['fit', join(dir, 'ragged.csv'), '--date', 'date', '--target', 'sales', '--channels', 'tv']);
    expect(ragged.code).toBe(2);
    expect(ragged.stderr).toContain('is not a readable CSV file');
    const target = await mmm(['fit', national, '--date', 'date', '--channels', 'tv']);
    expect(target.code).toBe(2);
    expect(target.stderr).toContain('--target: is missing');
    const seed = await mmm(['fit', national, ...base, '--seed', 'one']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain('--seed: got "one"');
    const method = await mmm(['fit', national, ...base, '--method', 'magic']);
    expect(method.code).toBe(2);
    expect(method.stderr).toContain("argument 'magic' is invalid");
    const unknown = await mmm(['frobnicate']);
    expect(unknown.code).toBe(2);
  }, 60_000);
});

describe('mmm fit on geo data', () => {
  it('fits the geo hierarchy from a long table and writes ROAS by geo; optimize --by-geo splits over geo × channel', async () => {
    // 4 of Meridian's demo geos, their first 52 weeks, 2 channels (a short run: the files, not the estimates, are checked)
    const text = readFileSync(join(DATA, 'public', 'meridian_geo_all_channels.csv'), 'utf8')
      .trim()
      .split('\n');
    const head = text[0].split(',');
    const col = (name: string) => head.indexOf(name);
    const keep = text
      .slice(1)
      .map((l) => l.split(','))
      .filter((r) => ['Geo0', 'Geo1', 'Geo2', 'Geo3'].includes(r[col('geo')]) && r[col('time')] < '2022-01-24');
    const cols = ['geo', 'time', 'Channel0_spend', 'Channel3_spend', 'population', 'conversions'];
    writeFileSync(join(dir, 'geo.csv'), `${cols.join(',')}\n${keep.map((r) => cols.map((c) => r[col(c)]).join(',')).join('\n')}\n`);
    const out = join(dir, 'geo');
    const r = await mmm([
      'fit',
      join(dir, 'geo.csv'),
      '--date',
      'time',
      '--geo',
      'geo',
      '--population',
      'population',
      '--target',
      'conversions',
      '--channels',
      'tv=Channel0_spend,search=Channel3_spend',
      '--chains',
      '2',
      '--warmup',
      '100',
      '--draws',
      '100',
      '--allow-gate-failure',
      '--no-report',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const fit = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    expect(fit.panel.geos).toEqual(['Geo0', 'Geo1', 'Geo2', 'Geo3']);
    const byGeo = csvRows(readFileSync(join(out, 'roas_by_geo.csv'), 'utf8'));
    expect(byGeo).toHaveLength(8);
    const g1tv = byGeo.find((x) => x.geo === 'Geo1' && x.channel === 'tv')!;
    expect(Number(g1tv.roas)).toBe(fit.geos.Geo1.channels.tv.roas.mean);
    expect(csvRows(readFileSync(join(out, 'contributions.csv'), 'utf8'))).toHaveLength(52);
    const plan = await mmm(['optimize', join(out, 'fit.json'), '--by-geo', '--bounds', '0.5,1.5', '--out', join(dir, 'geo-plan')]);
    expect(plan.code).toBe(0);
    const cells = csvRows(readFileSync(join(dir, 'geo-plan', 'plan.csv'), 'utf8'));
    expect(cells.map((c) => c.channel).sort()).toEqual(['Geo0', 'Geo1', 'Geo2', 'Geo3'].flatMap((g) => [`${g}/search`, `${g}/tv`]).sort());
    // the same total as now, each cell within its bounds
    const cur = cells.reduce((a, c) => a + Number(c.current_per_period), 0);
    expect(cells.reduce((a, c) => a + Number(c.suggested_per_period), 0)).toBeCloseTo(cur, 4);
    for (const c of cells) expect(Number(c.suggested_per_period)).toBeLessThanOrEqual(1.5 * Number(c.current_per_period) * (1 + 1e-9));
    // lift tests in sets of geos: the sets given, the set's spend per period as x
    const exp = join(dir, 'geo-experiments');
    const designed = await mmm([
      'experiments',
      join(out, 'fit.json'),
      '--geo-sets',
      'Geo0+Geo1+Geo2+Geo3,Geo1+Geo3',
      '--durations',
      '8',
      '--outcomes',
      '20',
      '--no-report',
      '--out',
      exp,
    ]);
    expect(designed.code).toBe(0);
    const designs = csvRows(readFileSync(join(exp, 'designs.csv'), 'utf8'));
    expect(designs).toHaveLength(2 * 2 * 4);
    expect(new Set(designs.map((d) => d.geos))).toEqual(new Set(['Geo0+Geo1+Geo2+Geo3', 'Geo1+Geo3']));
    const now = spendPerPeriod(fit, { byGeo: true });
    for (const d of designs.filter((e) => e.geos === 'Geo1+Geo3'))
      expect(Number(d.x)).toBeCloseTo(now[`Geo1/${d.channel}`] + now[`Geo3/${d.channel}`], 6);
    expect(designed.stdout).toContain('all 4 geos');
    // the best design judged by refitting, on the data and options of run.json (the short chains of this fit)
    const refitted = await mmm([
      'experiments',
      join(out, 'fit.json'),
      '--durations',
      '8',
      '--outcomes',
      '20',
      '--refit',
      '1',
      '--out',
      exp,
    ]);
    expect(refitted.code).toBe(0);
    const refit = JSON.parse(readFileSync(join(exp, 'refit.json'), 'utf8'));
    expect(refit.outcomes).toHaveLength(1);
    expect(refit.narrowing).toBeCloseTo(refit.outcomes[0].narrowing, 12);
    expect(refitted.stdout).toContain('by refitting with 1 simulated results');
    expect(readFileSync(join(exp, 'report.html'), 'utf8')).toContain('Checked by refitting');
    const badSet = await mmm(['experiments', join(out, 'fit.json'), '--geo-sets', 'Geo1+Atlantis', '--no-report', '--out', exp]);
    expect(badSet.code).toBe(2);
    expect(badSet.stderr).toContain('geoSets[0][1]');
  }, 120_000);
});

describe('mmm optimize', () => {
  it('splits the budget within the bounds (a plan that sums to the budget, bounds respected)', async () => {
    const fitPath = join(dir, 'ridge', 'fit.json');
    if (!existsSync(fitPath)) await mmm(['fit', national, ...base, '--method', 'ridge', '--seed', '3', '--out', join(dir, 'ridge')]);
    const fit = JSON.parse(readFileSync(fitPath, 'utf8'));
    const weekly = Object.fromEntries(
      Object.entries(fit.data.spend as Record<string, number[]>).map(([k, v]) => [k, v.reduce((a, b) => a + b, 0) / v.length]),
    );
    const total = Object.values(weekly).reduce((a, b) => a + b, 0);
    const budget = 1.1 * total;
    const r = await mmm([
      'optimize',
      fitPath,
      '--budget',
      String(4 * budget),
      '--periods',
      '4',
      '--bounds',
      '0.7,1.3',
      '--out',
      join(dir, 'plan'),
    ]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'plan', 'plan.json'), 'utf8'));
    const alloc = plan.allocation as Record<string, number>;
    expect(Object.values(alloc).reduce((a, b) => a + b, 0)).toBeCloseTo(budget, 4);
    for (const [k, v] of Object.entries(alloc)) {
      expect(v).toBeGreaterThanOrEqual(0.7 * weekly[k] * (1 - 1e-9));
      expect(v).toBeLessThanOrEqual(1.3 * weekly[k] * (1 + 1e-9));
    }
    expect(plan.kkt.satisfied).toBe(true);
    expect(csvRows(readFileSync(join(dir, 'plan', 'plan.csv'), 'utf8'))).toHaveLength(5);
    const bad = await mmm(['optimize', fitPath, '--bounds', '1.3,0.7']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--bounds');
    const notGeo = await mmm(['optimize', fitPath, '--by-geo']);
    expect(notGeo.code).toBe(2);
    expect(notGeo.stderr).toContain('--by-geo: was given for a national fit');
    writeFileSync(join(dir, 'not-a-fit.json'), '{"date": "date"}');
    const notFit = await mmm(['optimize', join(dir, 'not-a-fit.json')]);
    expect(notFit.code).toBe(2);
    expect(notFit.stderr).toContain('is not a saved fit');
  }, 120_000);
});

describe('mmm plan', () => {
  it('writes a schedule per period within the bounds that spends the budget, its plan.json and report, and refuses bad flags', async () => {
    const fitPath = join(dir, 'ridge', 'fit.json');
    if (!existsSync(fitPath)) await mmm(['fit', national, ...base, '--method', 'ridge', '--seed', '3', '--out', join(dir, 'ridge')]);
    const fit = JSON.parse(readFileSync(fitPath, 'utf8'));
    const weekly = Object.fromEntries(
      Object.entries(fit.data.spend as Record<string, number[]>).map(([k, v]) => [k, v.reduce((a, b) => a + b, 0) / v.length]),
    );
    const budget = 13 * Object.values(weekly).reduce((a, b) => a + b, 0);
    const out = join(dir, 'schedule');
    const args = ['plan', fitPath, '--periods', '13', '--budget', String(budget), '--bounds', '0,3', '--blackout', 'tv:0,tv:1'];
    const r = await mmm([...args, '--compare', 'current', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('KKT satisfied');
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    const rows = csvRows(readFileSync(join(out, 'schedule.csv'), 'utf8'));
    expect(rows).toHaveLength(13 + plan.tailDates.length);
    expect(rows[0].date).toBe(plan.dates[0]);
    let total = 0;
    for (const row of rows.slice(0, 13))
      for (const c of Object.keys(weekly)) {
        const v = Number(row[c]);
        total += v;
        expect(v).toBeLessThanOrEqual(3 * weekly[c] * (1 + 1e-9));
      }
    expect(total).toBeCloseTo(budget, 2);
    expect(Number(rows[0].tv)).toBe(0);
    expect(Number(rows[1].tv)).toBe(0);
    expect(Number(rows[5].response)).toBeCloseTo(plan.byPeriod.mean[5], 6);
    expect(plan.compare.uplift.absolute).toBeGreaterThanOrEqual(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="schedule"');
    const noBudget = await mmm(['plan', fitPath, '--periods', '13']);
    expect(noBudget.code).toBe(2);
    expect(noBudget.stderr).toContain('--budget');
    const badBlackout = await mmm([...args.slice(0, 6), '--blackout', 'teevee:3']);
    expect(badBlackout.code).toBe(2);
    expect(badBlackout.stderr).toContain('--blackout');
  }, 120_000);
});

describe('mmm experiments', () => {
  it('writes the candidate lift tests best first, their JSON and a report, and refuses a bad grid', async () => {
    const fitPath = join(dir, 'ridge', 'fit.json');
    if (!existsSync(fitPath)) await mmm(['fit', national, ...base, '--method', 'ridge', '--seed', '3', '--out', join(dir, 'ridge')]);
    const out = join(dir, 'experiments');
    const r = await mmm(['experiments', fitPath, '--durations', '4,8', '--outcomes', '20', '--sd', '5000', '--out', out]);
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'designs.json'), 'utf8'));
    const rows = csvRows(readFileSync(join(out, 'designs.csv'), 'utf8'));
    expect(rows).toHaveLength(result.designs.length);
    expect(rows.length).toBe(5 * 4 * 2);
    expect(rows.map((x) => Number(x.sd))).toEqual(new Array(rows.length).fill(5000));
    for (let i = 1; i < rows.length; i++) expect(Number(rows[i - 1].narrowing_p10)).toBeGreaterThanOrEqual(Number(rows[i].narrowing_p10));
    expect(r.stdout).toContain('| 1 |');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="experiments"');
    const bad = await mmm(['experiments', fitPath, '--changes', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('spendChanges');
    // a ridge fit takes no lift tests: no refits
    const noRefit = await mmm(['experiments', fitPath, '--durations', '4', '--outcomes', '20', '--refit', '1', '--out', out]);
    expect(noRefit.code).toBe(2);
    expect(noRefit.stderr).toContain('fit.method');
  }, 120_000);
});

describe('mmm value', () => {
  it('values channels by the customers they bring: value.csv, cohorts.csv, value.json, fit.json and a report', async () => {
    // a simulated business (pipeline/test/customer-value-data.ts) as the two CSV files a user has
    const b = simulateBusiness(2);
    const media = join(dir, 'media.csv');
    const tx = join(dir, 'transactions.csv');
    writeFileSync(media, stringify(b.media, { header: true }));
    writeFileSync(tx, stringify(b.transactions, { header: true }));
    const out = join(dir, 'value');
    const flags = ['--media', media, '--date', 'week', '--channels', 'search,social,tv', '--transactions', tx, '--customer', 'customer_id'];
    const rest = ['--transaction-date', 'date', '--amount', 'amount', '--acquisition-channel', 'channel', '--chains', '2'];
    const r = await mmm(['value', ...flags, ...rest, '--warmup', '400', '--draws', '400', '--seed', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = csvRows(readFileSync(join(out, 'value.csv'), 'utf8'));
    expect(rows.map((x) => x.channel)).toEqual(['search', 'social', 'tv']);
    const value = JSON.parse(readFileSync(join(out, 'value.json'), 'utf8'));
    expect(value.method).toBe('acquisition');
    for (const x of rows) {
      expect(Number(x.ltv_roas)).toBeCloseTo(value.channels[x.channel].ltvRoas.mean, 9);
      expect(Number(x.customers_acquired)).toBe(
        b.transactions.filter((t, i, a) => t.channel === x.channel && a.findIndex((u) => u.customer_id === t.customer_id) === i).length,
      );
    }
    const cohorts = csvRows(readFileSync(join(out, 'cohorts.csv'), 'utf8'));
    expect(cohorts.reduce((a, x) => a + Number(x.new_customers), 0)).toBe(b.customers);
    const fit = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    expect(fit.spec.channels.map((c: { name: string }) => c.name)).toEqual(['search', 'social', 'tv']);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="customer-value"');
    expect(r.stdout).toMatch(/tv: LTV-ROAS \d/);
    // plans on value: the MMM of new customers with each channel's value per customer
    const fitPath = join(out, 'fit.json');
    const valuePath = join(out, 'value.json');
    const opt = await mmm(['optimize', fitPath, '--value', valuePath, '--out', join(dir, 'value-plan')]);
    expect(opt.code, opt.stderr).toBe(0);
    expect(opt.stdout).toContain('expected media value of the new customers per period');
    const plain = JSON.parse(readFileSync(join(dir, 'value-plan', 'plan.json'), 'utf8'));
    const sched = await mmm([
      'plan',
      fitPath,
      '--periods',
      '8',
      '--budget',
      '100000',
      '--value',
      valuePath,
      '--out',
      join(dir, 'value-sched'),
    ]);
    expect(sched.code, sched.stderr).toBe(0);
    expect(Object.keys(plain.allocation)).toEqual(['search', 'social', 'tv']);
    const wrong = await mmm(['optimize', fitPath, '--value', join(out, 'cohorts.csv')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--value');
    const missing = await mmm(['value', ...flags]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--transaction-date');
  }, 300_000);
});

describe('mmm fit with a reach-and-frequency channel, mmm optimize --frequency, --organic and --treatments', () => {
  it('fits name=spend:reach:frequency, prints the optimal frequency, writes reach_frequency.csv and plans with it', async () => {
    // social as a reach-and-frequency channel: a frequency cycling over 1 … 4.6, the reach its impressions over it
    const rows = csvRows(readFileSync(national, 'utf8')).map((r, t) => {
      const frequency = 1 + (4 * ((t * 7) % 10)) / 10;
      return { ...r, social_reach: (Number(r.social) * 250) / frequency, social_frequency: Number(r.social) > 0 ? frequency : 0 };
    });
    const file = join(dir, 'rf.csv');
    writeFileSync(file, stringify(rows, { header: true }));
    const out = join(dir, 'rf');
    const r = await mmm([
      'fit',
      file,
      '--date',
      'date',
      '--target',
      'sales',
      '--channels',
      'tv,search,social=social:social_reach:social_frequency',
      '--chains',
      '2',
      '--warmup',
      '150',
      '--draws',
      '100',
      '--seed',
      '2',
      '--allow-gate-failure',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const fit = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    const o = fit.channels.social.optimalFrequency;
    expect(r.stdout).toContain(`social: optimal frequency ${o.mean.toFixed(2)}`);
    const table = csvRows(readFileSync(join(out, 'reach_frequency.csv'), 'utf8'));
    expect(table).toHaveLength(fit.channels.social.reachFrequency.responseByFrequency.frequency.length);
    expect(Number(table[3].roas)).toBeCloseTo(fit.channels.social.reachFrequency.responseByFrequency.roas[3].mean, 8);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="reach-frequency"');
    const plan = await mmm(['optimize', join(out, 'fit.json'), '--frequency', 'historical', '--out', join(dir, 'rfplan')]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'rfplan', 'plan.json'), 'utf8')).allocation)).toContain('social');
    const bad = await mmm(['optimize', join(out, 'fit.json'), '--frequency', 'best']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--frequency');
    // organic media and a treatment: organic_treatments.csv and the report's section
    const org = join(dir, 'organic');
    const fitted = await mmm([
      'fit',
      national,
      '--date',
      'date',
      '--target',
      'sales',
      '--channels',
      'tv,search',
      '--controls',
      'competitor_index',
      '--organic',
      'radio',
      '--treatments',
      'price_index',
      '--chains',
      '2',
      '--warmup',
      '150',
      '--draws',
      '100',
      '--allow-gate-failure',
      '--quiet',
      '--out',
      org,
    ]);
    expect(fitted.code, fitted.stderr).toBe(0);
    const rowsOT = csvRows(readFileSync(join(org, 'organic_treatments.csv'), 'utf8'));
    expect(rowsOT.map((x) => [x.name, x.kind])).toEqual([
      ['radio', 'organic'],
      ['price_index', 'treatment'],
    ]);
    expect(readFileSync(join(org, 'report.html'), 'utf8')).toContain('id="organic-treatments"');
  }, 300_000);
});

describe('mmm fit --time-varying, mmm stability, mmm optimize --effect-window', () => {
  it('writes the multipliers per period, says which channel changed and plans with a chosen window', async () => {
    const out = join(dir, 'tv');
    const args = ['fit', national, '--date', 'date', '--target', 'sales', '--channels', 'tv,search,social'];
    const short = ['--chains', '2', '--warmup', '150', '--draws', '100', '--seed', '4', '--allow-gate-failure', '--quiet'];
    const r = await mmm([...args, ...short, '--time-varying', 'tv,search', '--out', out]);
    expect(r.code).toBe(0);
    const fit = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    expect(fit.spec.timeVaryingEffects).toEqual(['tv', 'search']);
    const rows = csvRows(readFileSync(join(out, 'effects_over_time.csv'), 'utf8'));
    expect(rows).toHaveLength(fit.data.dates.length);
    expect(Object.keys(rows[0])).toEqual(['date', 'tv', 'tv_lower', 'tv_upper', 'search', 'search_lower', 'search_upper']);
    expect(Number(rows[10].tv)).toBeCloseTo(fit.channels.tv.effectOverTime.mean[10], 10);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="effects-over-time"');

    const dates = fit.data.dates as string[];
    const split = dates[Math.floor(dates.length / 2)];
    const st = await mmm(['stability', join(out, 'fit.json'), '--split', split, '--out', join(dir, 'stability')]);
    expect(st.code).toBe(0);
    const table = JSON.parse(readFileSync(join(dir, 'stability', 'stability.json'), 'utf8'));
    expect(table.tv.after[0]).toBe(split);
    expect(table.social).toMatchObject({ constant: true, label: 'stable' });
    expect(st.stdout).toContain('| social | | | 1 | held constant |');
    expect(csvRows(readFileSync(join(dir, 'stability', 'stability.csv'), 'utf8')).map((x) => x.channel)).toEqual([
      'tv',
      'search',
      'social',
    ]);

    const plan = await mmm([
      'optimize',
      join(out, 'fit.json'),
      '--effect-window',
      `${dates[0]},${dates[25]}`,
      '--out',
      join(dir, 'tvplan'),
    ]);
    expect(plan.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'tvplan', 'plan.json'), 'utf8')).effectWindow).toEqual({ start: dates[0], end: dates[25] });
    expect(plan.stdout).toContain(`effects as of ${dates[0]} to ${dates[25]} (mean)`);
    const atEnd = await mmm(['optimize', join(out, 'fit.json'), '--out', join(dir, 'tvplan2')]);
    expect(atEnd.stdout).toContain(`effects as of ${dates[dates.length - 1]} (the fit's effects change over time)`);
    const bad = await mmm(['optimize', join(out, 'fit.json'), '--effect-window', dates[0]]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--effect-window');
    const outside = await mmm(['stability', join(out, 'fit.json'), '--split', '1999-01-04']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('split');
    // a ridge fit has no time-varying effects: a typed error naming the option
    const ridge = await mmm([...args, '--method', 'ridge', '--time-varying', 'perChannel', '--out', join(dir, 'tvridge')]);
    expect(ridge.code).toBe(2);
    expect(ridge.stderr).toContain('timeVaryingEffects');
  }, 180_000);
});

describe('mmm fit --interactions', () => {
  it('fits the interaction terms, writes interactions.csv and their columns in contributions.csv; a plan names the synergy', async () => {
    const out = join(dir, 'interactions');
    const args = ['fit', national, '--date', 'date', '--target', 'sales', '--channels', 'tv,search,social', '--quiet'];
    const r = await mmm([...args, '--method', 'ridge', '--interactions', 'tv:season, tv:search', '--out', out]);
    expect(r.code).toBe(0);
    const fit = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    expect(fit.spec.interactions).toEqual([
      { channel: 'tv', with: 'season' },
      { channel: 'tv', with: 'search' },
    ]);
    const rows = csvRows(readFileSync(join(out, 'interactions.csv'), 'utf8'));
    expect(rows.map((x) => x.interaction)).toEqual(['tv:season', 'tv:search']);
    expect(Number(rows[1].contribution)).toBeCloseTo(fit.interactions['tv:search'].contribution.mean, 6);
    expect(Object.keys(csvRows(readFileSync(join(out, 'contributions.csv'), 'utf8'))[0])).toContain('tv:search_lower');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="interactions"');
    const plan = await mmm(['optimize', join(out, 'fit.json'), '--out', join(dir, 'interactions-plan')]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('left out: the synergies tv:search');
    const bad = await mmm([...args, '--method', 'ridge', '--interactions', 'tv', '--out', join(dir, 'bad-interactions')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--interactions');
    const unknown = await mmm([...args, '--method', 'ridge', '--interactions', 'tv:radio', '--out', join(dir, 'bad-interactions')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('interactions[0].with');
  }, 120_000);
});

describe('mmm fit: the review', () => {
  it('prints the review and writes review.json; --strict exits 3 when a check fails', async () => {
    // every channel and control of the data (with fewer, the residuals keep what is missing: the review flags it)
    const args = ['fit', national, '--date', 'date', '--target', 'sales', '--channels', 'tv,search,social,display,radio', '--quiet'];
    args.push('--controls', 'price_index,competitor_index');
    const out = join(dir, 'review');
    const r = await mmm([...args, '--method', 'ridge', '--out', out]);
    expect(r.code).toBe(0);
    const review = JSON.parse(readFileSync(join(out, 'review.json'), 'utf8'));
    expect(['pass', 'review']).toContain(review.status);
    expect(r.stdout).toContain(`review: ${review.status}`);
    for (const c of review.checks.filter((x: { status: string }) => x.status !== 'pass')) expect(r.stdout).toContain(c.id);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="review"');
    // a short chain without remedy: the gate and the review fail; --allow-gate-failure alone exits 0, with --strict 3
    const short = ['--warmup', '30', '--draws', '30', '--chains', '2', '--no-remedy', '--allow-gate-failure'];
    const lenient = await mmm([...args, ...short, '--out', join(dir, 'review-short')]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('review: fail');
    const strict = await mmm([...args, ...short, '--strict', '--out', join(dir, 'review-strict')]);
    expect(strict.code).toBe(3);
  }, 120_000);
});

describe('mmm clv', () => {
  it('reproduces the published BG/NBD fit of CDNOW from a transactions CSV and writes the per-customer table', async () => {
    // CDNOW_sample.txt (whitespace separated: master id, customer id, YYYYMMDD, CDs, dollars) as a CSV
    const lines = readFileSync(join(DATA, 'CDNOW_sample.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    writeFileSync(join(dir, 'cdnow.csv'), `id,day,value\n${lines.map((p) => `${p[1]},${p[2]},${p[4]}`).join('\n')}\n`);
    const r = await mmm([
      'clv',
      join(dir, 'cdnow.csv'),
      '--customer',
      'id',
      '--date',
      'day',
      '--amount',
      'value',
      '--calibration-end',
      '1997-09-30',
      '--out',
      join(dir, 'clv'),
    ]);
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 'clv', 'clv.json'), 'utf8'));
    // Fader, Hardie & Lee (2005): r 0.2426, α 4.414, a 0.7929, b 2.426, LL −9582.4
    expect(s.params.r).toBeCloseTo(0.2426, 3);
    expect(s.params.alpha).toBeCloseTo(4.414, 2);
    expect(s.params.a).toBeCloseTo(0.7929, 3);
    expect(s.params.b).toBeCloseTo(2.426, 2);
    expect(s.logLikelihood).toBeCloseTo(-9582.4, 0);
    const table = csvRows(readFileSync(join(dir, 'clv', 'clv.csv'), 'utf8'));
    expect(table).toHaveLength(2357);
    expect(table.reduce((a, row) => a + Number(row.clv_12m), 0)).toBeCloseTo(s.totalClv, 4);
    expect(readdirSync(join(dir, 'clv')).sort()).toEqual(['clv.csv', 'clv.json', 'report.html']);
    const miss = await mmm(['clv', join(dir, 'cdnow.csv'), '--customer', 'id', '--date', 'day']);
    expect(miss.code).toBe(2);
    expect(miss.stderr).toContain('--amount: is missing');
  }, 60_000);
});
