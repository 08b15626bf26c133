import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

/** Runs an npm script of this repository as a user would; returns stdout, stderr and the exit code. */
export async function npm(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const out = await run('npm', ['run', '--silent', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
    return { ...out, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}
