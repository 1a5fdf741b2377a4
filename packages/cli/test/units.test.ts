import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FitProgress } from '@mmm/pipeline';
import { checkJobs, fitSettings, FolderStore, formatSeconds, parseChannels, redisConnection } from '../src/index.js';
import { essText } from '../src/terminal.js';

describe('progress', () => {
  it('formats seconds', () => {
    expect(formatSeconds(5.4)).toBe('5s');
    expect(formatSeconds(65)).toBe('1m 05s');
    expect(formatSeconds(undefined)).toBe('?');
  });
});

describe('flag parsing', () => {
  it('reads channels as names, name=spend and name=spend:exposure', () => {
    expect(parseChannels('tv, search=search_spend,social=social_spend:social_impressions')).toEqual([
      'tv',
      { name: 'search', spend: 'search_spend' },
      { name: 'social', spend: 'social_spend', exposure: 'social_impressions' },
    ]);
    expect(parseChannels('video=video_spend:video_reach:video_frequency')).toEqual([
      { name: 'video', spend: 'video_spend', reach: 'video_reach', frequency: 'video_frequency' },
    ]);
    expect(() => parseChannels('video=a:b:c:d')).toThrow(/reach_column:frequency_column/);
    expect(() => parseChannels('video=a::c')).toThrow(/--channels: has "video=a::c"/);
    expect(() => parseChannels(',')).toThrow(/--channels: names no channel/);
    expect(() => parseChannels('=x')).toThrow(/name=spend_column/);
  });
  it('reads Redis URLs into BullMQ connection options and refuses others with the fix', () => {
    expect(redisConnection('redis://:secret@10.0.0.5:6380/2')).toEqual({
      host: '10.0.0.5',
      port: 6380,
      password: 'secret',
      db: 2,
      maxRetriesPerRequest: null,
    });
    expect(redisConnection('rediss://cache.example.com')).toMatchObject({ host: 'cache.example.com', port: 6379, tls: {} });
    expect(() => redisConnection('localhost:6379')).toThrow(/--redis: has protocol "localhost:"/);
    expect(() => redisConnection('not a url')).toThrow(/--redis: is "not a url"/);
  });
  it("--no-local-step-size turns the sampler's local step size off; the default leaves fitMMM's", () => {
    const flags = { date: 'd', target: 'y', channels: 'tv' };
    expect(fitSettings('x.csv', { ...flags, localStepSize: false }).options.localStepSize).toBe(false);
    expect(fitSettings('x.csv', { ...flags, localStepSize: true }).options.localStepSize).toBeUndefined();
  });
  it('--early-stop alone turns early stopping on with the default ESS, --early-stop 600 sets it; progress shows the ESS', () => {
    const flags = { date: 'd', target: 'y', channels: 'tv' };
    expect(fitSettings('x.csv', { ...flags, earlyStop: true }).options.earlyStop).toBe(true);
    expect(fitSettings('x.csv', { ...flags, earlyStop: '600' }).options.earlyStop).toEqual({ ess: 600 });
    expect(fitSettings('x.csv', flags).options.earlyStop).toBeUndefined();
    expect(() => fitSettings('x.csv', { ...flags, earlyStop: '-3' })).toThrow(/--early-stop/);
    const state = { earlyStop: { draws: 300, ess: 312.7, targetEss: 500, rhat: 1.004, targetRhat: 1.008, met: false } };
    expect(essText(state as FitProgress)).toBe(' · ESS 312 of 500');
    expect(essText({} as FitProgress)).toBe('');
  });
  it('checks batch jobs: ids, data or rows, required options, duplicates', () => {
    const options = { date: 'd', target: 'y', channels: ['tv'] };
    expect(checkJobs([{ id: 'a', data: 'a.csv', options }], 'jobs', '/data')[0].data).toBe('/data/a.csv');
    expect(() => checkJobs([], 'jobs')).toThrow(/jobs: has no jobs/);
    expect(() => checkJobs([{ id: 'a/b', data: 'x', options }], 'jobs')).toThrow(/jobs\[0\]\.id/);
    expect(() =>
      checkJobs(
        [
          { id: 'a', data: 'x', options },
          { id: 'a', data: 'y', options },
        ],
        'jobs',
      ),
    ).toThrow(/repeats "a"/);
    expect(() => checkJobs([{ id: 'a', options }], 'jobs')).toThrow(/neither data nor rows/);
    expect(() => checkJobs([{ id: 'a', data: 'x', options: { date: 'd', channels: ['tv'] } }], 'jobs')).toThrow(
      /jobs\[0\]\.options\.target: is missing/,
    );
    expect(() => checkJobs([{ id: 'a', data: 'x', options: { ...options, chians: 2 } }], 'jobs')).toThrow(
      /jobs\[0\]\.options\.chians: is not an option/,
    );
    expect(
      checkJobs([{ id: 'a', data: 'x', options: { ...options, localStepSize: false, earlyStop: true } }], 'jobs')[0].options,
    ).toMatchObject({ localStepSize: false, earlyStop: true });
  });
});

describe('FolderStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('writes a result once: a second writer of the same key stores nothing and the first result stands', async () => {
    const s = new FolderStore(dir);
    expect(await s.has('k')).toBe(false);
    await s.putError('k', { name: 'Error', code: 'TIMEOUT', message: 'timed out', attempts: 1 });
    expect(s.errors()).toEqual({ k: { name: 'Error', code: 'TIMEOUT', message: 'timed out', attempts: 1 } });
    const [first, second] = await Promise.all([s.putResult('k', { 'fit.json': '1' }), s.putResult('k', { 'fit.json': '2' })]);
    expect([first, second]).toEqual([true, false]);
    expect(await s.putResult('k', { 'fit.json': '3' })).toBe(false);
    expect(s.results()).toEqual(['k']);
    expect(readdirSync(join(dir, 'k'))).toEqual(['fit.json']);
    // a later success clears an earlier attempt's error, and no temporary folder is left
    expect(s.errors()).toEqual({});
    expect(readdirSync(dir)).toEqual(['k']);
  });
});
