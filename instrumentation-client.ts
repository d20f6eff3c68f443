import { z } from 'zod';

// Runs before the page's own code. The page's Content-Security-Policy forbids `eval`, so zod's
// compiled parsers cannot run there, and its probe for them (`new Function("")`) is itself reported
// as a violation. Every schema made after this parses without compiling, and never probes.
z.config({ jitless: true });
