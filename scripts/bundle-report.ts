/**
 * `npm run bundle:report`: bundles each Lambda exactly as NodejsFunction does and prints its size
 * and the packages that dominate it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_BUDGET_BYTES, FUNCTION_ENTRIES, esbuildOptions, packageShares } from '../infra/bundling.ts';

const dir = mkdtempSync(join(tmpdir(), 'ipw-bundle-'));
try {
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES)) {
    const result = await build(esbuildOptions(entry, join(dir, name, 'index.mjs')));
    const shares = packageShares(result.metafile as never, `${name}/index.mjs`);
    const total = shares.reduce((sum, [, bytes]) => sum + bytes, 0);
    const verdict = total <= BUNDLE_BUDGET_BYTES ? 'within' : 'OVER';
    console.log(`${name.padEnd(8)} ${(total / 1024).toFixed(0).padStart(5)} KB (${verdict} the ${BUNDLE_BUDGET_BYTES / 1024} KB budget)  ${shares.slice(0, 6).map(([pkg, bytes]) => `${pkg} ${(bytes / 1024).toFixed(0)}`).join(', ')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
