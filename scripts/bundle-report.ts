/**
 * `npm run bundle:report`: builds each Lambda exactly as AppFunction does and prints its code
 * size (and how much of it a cold start reads) and the packages that dominate it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_BUDGET_BYTES, FUNCTION_ENTRIES, bundleLambda, packageShares, type FunctionName } from '../infra/bundling.ts';

const dir = mkdtempSync(join(tmpdir(), 'ipw-bundle-'));
try {
  for (const name of Object.keys(FUNCTION_ENTRIES) as FunctionName[]) {
    const bundle = bundleLambda(name, join(dir, name));
    const verdict = Math.max(bundle.codeBytes, bundle.workerBytes ?? 0) <= BUNDLE_BUDGET_BYTES ? 'within' : 'OVER';
    const worker = bundle.workerBytes ? ` + parser worker ${(bundle.workerBytes / 1024).toFixed(0)} KB` : '';
    const shares = packageShares(bundle.metafile);
    console.log(`${name.padEnd(8)} ${(bundle.codeBytes / 1024).toFixed(0).padStart(5)} KB${worker} (${verdict} the ${BUNDLE_BUDGET_BYTES / 1024} KB budget each), ${(bundle.eagerBytes / 1024).toFixed(0)} KB read at cold start  ${shares.slice(0, 6).map(([pkg, bytes]) => `${pkg} ${(bytes / 1024).toFixed(0)}`).join(', ')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
