import { build } from 'esbuild';
import { FUNCTION_ENTRIES, esbuildOptions, packageShares } from '../infra/bundling.ts';
for (const [name, entry] of Object.entries(FUNCTION_ENTRIES)) {
  const out = `/tmp/bundle-${name}/index.mjs`;
  const r = await build(esbuildOptions(entry, out));
  const shares = packageShares(r.metafile as never, `bundle-${name}/index.mjs`);
  const total = shares.reduce((a, [, b]) => a + b, 0);
  console.log(name, (total / 1024).toFixed(0), 'KB:', shares.slice(0, 10).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}`).join(', '));
}
