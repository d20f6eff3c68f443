/**
 * Runs once when a server instance starts. Next calls it in every runtime; the work needs Node.js
 * (SQLite, V8 flags, the HTTP server), so it is loaded only there, and the Edge build never sees
 * those modules (see instrumentation-node.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { registerNode } = await import('./instrumentation-node');
    await registerNode();
  }
}
