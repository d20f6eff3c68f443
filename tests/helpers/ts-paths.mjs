// Lets a plain `node` child process load the project's TypeScript modules: `@/x` resolves to
// `<root>/x.ts` (or `x/index.ts`); Node strips the types itself (--experimental-transform-types).
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..', '..');

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (!specifier.startsWith('@/')) return nextResolve(specifier, context);
    const base = path.join(root, specifier.slice(2));
    const file = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((candidate) => existsSync(candidate)) ?? base;
    return nextResolve(pathToFileURL(file).href, context);
  },
});
