// Redis connections for BullMQ, and a throwaway local redis-server for tests, examples and trying the queue out.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { InvalidInputError } from '@mmm/core';

/** ioredis options from a `redis://[user:password@]host[:port][/db]` URL, as BullMQ needs them. */
export function redisConnection(url: string): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
  maxRetriesPerRequest: null;
} {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidInputError(
      '--redis',
      `is "${url}"`,
      'Give a URL such as redis://127.0.0.1:6379 (or rediss:// for TLS, redis://:password@host:6379/0).',
    );
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new InvalidInputError('--redis', `has protocol "${u.protocol}"`, 'Use redis:// or rediss://.');
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running local redis-server. */
export interface LocalRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts Debian's (or any) `redis-server` on a free loopback port, without persistence, and waits until it accepts
 * connections. For tests and examples; production uses a managed Redis.
 */
export async function startLocalRedis(options: { port?: number; bin?: string; timeoutMs?: number } = {}): Promise<LocalRedis> {
  const port = options.port ?? (await freePort());
  const bin = options.bin ?? 'redis-server';
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within ${options.timeoutMs ?? 10000} ms: ${log.slice(-500)}`));
    }, options.timeoutMs ?? 10000);
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        e.code === 'ENOENT'
          ? new InvalidInputError(
              'redis',
              `${bin} is not installed`,
              'Install it (Debian: apt-get install redis-server) or pass the URL of a running Redis with --redis.',
            )
          : e,
      );
    });
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString();
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code}: ${log.slice(-500)}`));
    });
  });
  child.stdout.resume();
  child.stderr.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
