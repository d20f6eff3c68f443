// Lets Node run the TypeScript of lib/ directly (scripts): `@/x` is the project root, and an import
// without an extension finds its `.ts` file or folder `index.ts`, as the bundler does.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      import { existsSync } from 'node:fs';
      import { fileURLToPath, pathToFileURL } from 'node:url';
      const root = ${JSON.stringify(new URL('..', import.meta.url).href)};
      export async function resolve(specifier, context, next) {
        let candidate = specifier.startsWith('@/') ? new URL(specifier.slice(2), root).href : undefined;
        if (!candidate && (specifier.startsWith('./') || specifier.startsWith('../')) && context.parentURL?.startsWith('file:')) {
          candidate = new URL(specifier, context.parentURL).href;
        }
        if (candidate && !/\\.[cm]?[jt]sx?$/.test(candidate)) {
          const file = fileURLToPath(candidate);
          for (const ending of ['.ts', '.tsx', '/index.ts']) {
            if (existsSync(file + ending)) return next(pathToFileURL(file + ending).href, context);
          }
        }
        return next(candidate ?? specifier, context);
      }
    `),
);
