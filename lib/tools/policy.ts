import type { GenericToolApprovalFunction, ToolApprovalStatus, ToolSet } from 'ai';
import { getConfig, type Config } from '@/lib/config';
import { FETCH_URL_DISABLED_MESSAGE } from '@/lib/tools/fetch-url';
import type { CatalogEntry, ToolApproval } from '@/lib/tools/catalog';
import { isToolOffered, tools, type ToolName } from '@/lib/tools';

/** Policy overrides by tool name (MAESTRO_TOOL_APPROVAL). */
export type ApprovalOverrides = Readonly<Record<string, ToolApproval>>;

/**
 * The built-in tools' default policies: what only reads or computes runs at once; what reaches
 * outside (the network) or changes the workspace waits for the user.
 */
export const BUILTIN_APPROVAL: Readonly<Record<ToolName, ToolApproval>> = {
  calculator: 'auto',
  current_time: 'auto',
  list_files: 'auto',
  read_file: 'auto',
  fetch_url: 'ask',
  write_file: 'ask',
};

/**
 * The built-in tools as catalog entries (`GET /api/tools` lists them): every tool, with its default
 * policy (before overrides) and whether this configuration offers it.
 */
export function builtinCatalog(config: { fetchUrl: Pick<Config['fetchUrl'], 'enabled'> } = getConfig()): CatalogEntry[] {
  return (Object.keys(tools) as ToolName[]).map((name) => {
    const available = isToolOffered(name, { fetchUrl: { enabled: config.fetchUrl.enabled } });
    const description = tools[name].description;
    return {
      name,
      description: typeof description === 'string' ? description : '',
      source: 'builtin' as const,
      // A tool without a declared policy waits for the user.
      approval: Object.hasOwn(BUILTIN_APPROVAL, name) ? BUILTIN_APPROVAL[name] : 'ask',
      available,
      ...(available ? {} : { error: FETCH_URL_DISABLED_MESSAGE }),
    };
  });
}

const STRICTNESS: Record<ToolApproval, number> = { auto: 0, ask: 1, deny: 2 };

/**
 * The entries with the overrides applied: an override replaces a tool's policy, except that an
 * entry made stricter for a reason (an MCP tool whose definition changed) never becomes looser
 * than `ask` until that reason is gone.
 */
export function resolveApproval(entries: readonly CatalogEntry[], overrides: ApprovalOverrides): CatalogEntry[] {
  return entries.map((entry) => {
    const override = Object.hasOwn(overrides, entry.name) ? overrides[entry.name] : undefined;
    if (override === undefined) return entry;
    if (entry.approvalReason !== undefined && STRICTNESS[override] < STRICTNESS[entry.approval]) return entry;
    return { ...entry, approval: override };
  });
}

/** Why a `deny` tool was refused: what the model reads in place of a result. */
export function deniedReason(name: string): string {
  return `The ${name} tool is turned off on this server (MAESTRO_TOOL_APPROVAL), so it was not run.`;
}

/** Every tool this configuration knows, built-in then external (MCP), with the overrides applied. */
export function catalogWith(
  config: { fetchUrl: Pick<Config['fetchUrl'], 'enabled'> },
  external: readonly CatalogEntry[],
  overrides: ApprovalOverrides,
): CatalogEntry[] {
  return resolveApproval([...builtinCatalog(config), ...external], overrides);
}

/**
 * The AI SDK's `toolApproval` for one turn: `auto` runs, `ask` waits for the user (unless the
 * user allowed that tool for the whole chat), `deny` is refused with a reason the model sees. A
 * tool missing from the catalog waits for the user: nothing runs unreviewed by accident.
 */
export function approvalRules(entries: readonly CatalogEntry[], allowedInChat: ReadonlySet<string>): ToolApprovalRules {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  return ({ toolCall }): ToolApprovalStatus => {
    const entry = byName.get(toolCall.toolName);
    const policy = entry?.approval ?? 'ask';
    if (policy === 'deny') return { type: 'denied', reason: deniedReason(toolCall.toolName) };
    // A tool held at `ask` for a reason (its definition changed) asks even where the chat allowed it.
    if (entry?.approvalReason) return { type: 'user-approval', reason: entry.approvalReason };
    if (policy === 'auto' || allowedInChat.has(toolCall.toolName)) return 'not-applicable';
    return 'user-approval';
  };
}

/** The `toolApproval` setting of a turn: one function for every tool, built-in or MCP. */
export type ToolApprovalRules = GenericToolApprovalFunction<ToolSet, Record<string, never>, unknown>;
