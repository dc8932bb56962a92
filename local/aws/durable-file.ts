import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A JSON document kept in one file, replaced whole on every change: written to a temporary file,
 * then renamed over the old one, so a process killed at any moment leaves either the old document
 * or the new one, never half of one. Written synchronously, before the stand-in answers the call
 * that changed it, so whatever AWS would have acknowledged survives `kill -9`. (A rename survives a
 * killed process without fsync; only a power cut could lose the last writes, which a local stack
 * does not guard against.) Without a path it keeps nothing (`--in-memory`, tests, the benchmark).
 */
export class DurableFile<T> {
  constructor(private readonly path?: string) {
    if (path) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }

  read(): T | undefined {
    if (!this.path) return undefined;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return JSON.parse(text) as T;
  }

  write(value: T): void {
    if (!this.path) return;
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(value), { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}
