import iranPakistan from '../config/watches/iran-pakistan.json' with { type: 'json' };
import { parseWatch, type Watch } from './domain/watch.ts';

/**
 * The watches bundled into the Lambdas and used by the CLIs. Imported statically so esbuild
 * bundles them and a bad file fails the build's tests, not a cold start in production.
 */
export const BUNDLED_WATCHES: Watch[] = [parseWatch(iranPakistan, 'config/watches/iran-pakistan.json')];
