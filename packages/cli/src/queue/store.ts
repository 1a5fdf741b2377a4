// Where a queued fit's files go. A folder by default; anything that can store a set of named files under a key and
// say whether a key exists (S3, GCS, a database) can implement ResultStore.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An error recorded for a job that failed for good. */
export interface JobError {
  name: string;
  /** the library's error code ('INVALID_INPUT', …) or 'TIMEOUT' / 'INTERNAL' */
  code: string;
  field?: string;
  message: string;
  attempts: number;
}

/**
 * Storage of job results. `putResult` must be write-once: when a result for the key exists it stores nothing and
 * returns false, so a job that ran twice (a worker presumed dead that was only slow) leaves one result.
 */
export interface ResultStore {
  has(key: string): Promise<boolean>;
  putResult(key: string, files: Readonly<Record<string, string>>): Promise<boolean>;
  putError(key: string, error: JobError): Promise<void>;
  /** where a key's result lives, for messages (a path or a URL) */
  locate(key: string): string;
}

/**
 * Results in a folder: `<dir>/<key>/` holds a job's files, `<dir>/<key>.error.json` a job's final error. A result is
 * written to a temporary folder and renamed into place, which is atomic on one file system, so readers never see
 * half a result and a second writer of the same key finds the folder there and stops.
 */
export class FolderStore implements ResultStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  locate(key: string): string {
    return join(this.dir, key);
  }

  async has(key: string): Promise<boolean> {
    return existsSync(join(this.dir, key));
  }

  async putResult(key: string, files: Readonly<Record<string, string>>): Promise<boolean> {
    const target = join(this.dir, key);
    if (existsSync(target)) return false;
    const tmp = join(this.dir, `.${key}.${process.pid}.${Date.now()}.tmp`);
    mkdirSync(tmp, { recursive: true });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(tmp, name), content);
    try {
      renameSync(tmp, target);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
      throw e;
    }
    rmSync(join(this.dir, `${key}.error.json`), { force: true });
    return true;
  }

  async putError(key: string, error: JobError): Promise<void> {
    const path = join(this.dir, `${key}.error.json`);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(error, null, 2));
    renameSync(tmp, path);
  }

  /** The keys with a stored result. */
  results(): string[] {
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  }

  /** The recorded errors by key. */
  errors(): Record<string, JobError> {
    const out: Record<string, JobError> = {};
    for (const f of readdirSync(this.dir))
      if (f.endsWith('.error.json'))
        out[f.slice(0, -'.error.json'.length)] = JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as JobError;
    return out;
  }
}
