import { createRequire } from 'node:module';

const requireAtRuntime = createRequire(import.meta.url);

// Server-external packages (next.config.mjs `serverExternalPackages`), loaded when first needed
// rather than when the module that uses them is: loading mathjs, pg or ioredis takes tens to
// hundreds of milliseconds that a cold instance's first request would otherwise wait for, even
// where the package is never used (pg and ioredis on the embedded default). Each name is written
// out so that the bundler sees which package is meant.

export const loadMathjs = (): typeof import('mathjs') => requireAtRuntime('mathjs');
export const loadPg = (): typeof import('pg') => requireAtRuntime('pg');
export const loadIoredis = (): typeof import('ioredis') => requireAtRuntime('ioredis');
