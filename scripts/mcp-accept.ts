/**
 * Accepts the changed definition of MCP tools, so that they run under their configured policy again:
 *
 *   npm run mcp:accept                      lists the tools whose definition changed
 *   npm run mcp:accept -- <server>__<tool>  accepts one (several names: each of them)
 *   npm run mcp:accept -- --all             accepts every changed tool
 *
 * It reads the same database as the server (DATABASE_URL, or SQLite under MAESTRO_DATA_DIR); a
 * running server sees the change at its next run.
 */
import { closeStore, getStore } from '@/lib/store';

async function main(names: string[]): Promise<number> {
  const store = await getStore();
  const changed = await store.listChangedTools();
  if (names.length === 0) {
    console.log(
      changed.length === 0
        ? 'No MCP tool has a changed definition.'
        : `Changed since pinned:\n${changed.map((name) => `  ${name}`).join('\n')}\nAccept with: npm run mcp:accept -- <name> (or --all)`,
    );
    return 0;
  }
  const wanted = names.includes('--all') ? changed : names;
  const accepted = await store.acceptToolDefinitions(wanted);
  for (const name of accepted) console.log(`Accepted the new definition of ${name}.`);
  const unknown = wanted.filter((name) => !accepted.includes(name));
  for (const name of unknown) console.error(`${name} has no changed definition to accept (see: npm run mcp:accept).`);
  return unknown.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} finally {
  await closeStore();
}
