import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import type { CatalogEntry } from '@/lib/tools/catalog';
import { approvalRules, builtinCatalog, deniedReason, resolveApproval } from '@/lib/tools/policy';

const mcpEntry = (name: string, approval: CatalogEntry['approval'], approvalReason?: string): CatalogEntry => ({
  name,
  description: 'An MCP tool.',
  source: 'mcp:files',
  approval,
  available: true,
  ...(approvalReason ? { approvalReason } : {}),
});

const policyOf = (entries: CatalogEntry[], name: string) => entries.find((entry) => entry.name === name)?.approval;

/** What the SDK gets for a call of `toolName` under these rules. */
function decide(entries: CatalogEntry[], toolName: string, allowed: string[] = []) {
  const rules = approvalRules(entries, new Set(allowed));
  return rules({
    toolCall: { type: 'tool-call', toolCallId: 'call-1', toolName, input: {} },
    tools: undefined,
    toolsContext: {},
    messages: [],
    runtimeContext: {},
  } as unknown as Parameters<typeof rules>[0]);
}

describe('tool approval policies', () => {
  it('defaults: reading and computing run at once; fetch_url and write_file ask', () => {
    const catalog = builtinCatalog({ fetchUrl: { enabled: true } });
    expect(Object.fromEntries(catalog.map((entry) => [entry.name, entry.approval]))).toEqual({
      calculator: 'auto',
      current_time: 'auto',
      list_files: 'auto',
      read_file: 'auto',
      write_file: 'ask',
      fetch_url: 'ask',
    });
    expect(catalog.every((entry) => entry.source === 'builtin' && entry.available && entry.description !== '')).toBe(true);
    const off = builtinCatalog({ fetchUrl: { enabled: false } }).find((entry) => entry.name === 'fetch_url');
    expect(off).toMatchObject({ available: false, error: expect.stringContaining('MAESTRO_FETCH_URL_ENABLED') });
  });

  it('overrides replace the defaults, for built-in and MCP tools alike; others keep theirs', () => {
    const entries = [...builtinCatalog({ fetchUrl: { enabled: true } }), mcpEntry('files__delete', 'ask')];
    const resolved = resolveApproval(entries, { fetch_url: 'auto', read_file: 'deny', files__delete: 'deny', unknown_tool: 'auto' });
    expect(policyOf(resolved, 'fetch_url')).toBe('auto');
    expect(policyOf(resolved, 'read_file')).toBe('deny');
    expect(policyOf(resolved, 'files__delete')).toBe('deny');
    expect(policyOf(resolved, 'write_file')).toBe('ask');
    expect(resolved).toHaveLength(entries.length);
  });

  it('an MCP tool asked about for a reason (its definition changed) is not loosened by an override, but may be denied', () => {
    const changed = mcpEntry('files__write', 'ask', 'Its definition changed since it was approved.');
    expect(resolveApproval([changed], { files__write: 'auto' })[0]).toEqual(changed);
    expect(resolveApproval([changed], { files__write: 'deny' })[0]?.approval).toBe('deny');
  });

  it('gives the SDK: auto runs, ask waits (with the reason, if any), deny is refused with a reason, an unknown tool waits', () => {
    const entries = resolveApproval(
      [...builtinCatalog({ fetchUrl: { enabled: true } }), mcpEntry('files__write', 'ask', 'Its definition changed.')],
      { fetch_url: 'deny' },
    );
    expect(decide(entries, 'calculator')).toBe('not-applicable');
    expect(decide(entries, 'write_file')).toBe('user-approval');
    expect(decide(entries, 'files__write')).toEqual({ type: 'user-approval', reason: 'Its definition changed.' });
    expect(decide(entries, 'fetch_url')).toEqual({ type: 'denied', reason: deniedReason('fetch_url') });
    expect(decide(entries, 'never_heard_of')).toBe('user-approval');
  });

  it('a tool allowed for the chat runs without asking; allowing never overrides a deny', () => {
    const entries = resolveApproval(builtinCatalog({ fetchUrl: { enabled: true } }), { fetch_url: 'deny' });
    expect(decide(entries, 'write_file', ['write_file'])).toBe('not-applicable');
    expect(decide(entries, 'fetch_url', ['fetch_url'])).toMatchObject({ type: 'denied' });
  });

  it('a tool whose definition changed asks, even where the chat allowed it', () => {
    const entries = [mcpEntry('files__write', 'ask', 'Its definition changed.')];
    expect(decide(entries, 'files__write', ['files__write'])).toEqual({ type: 'user-approval', reason: 'Its definition changed.' });
  });
});

describe('MAESTRO_TOOL_APPROVAL', () => {
  it('is parsed as JSON of tool name → policy; unset or empty means no overrides', () => {
    expect(parseConfig({}).toolApproval).toEqual({});
    expect(parseConfig({ MAESTRO_TOOL_APPROVAL: '  ' }).toolApproval).toEqual({});
    expect(parseConfig({ MAESTRO_TOOL_APPROVAL: '{"fetch_url":"auto","files__delete":"deny"}' }).toolApproval).toEqual({
      fetch_url: 'auto',
      files__delete: 'deny',
    });
  });

  it.each([
    ['not JSON', '{fetch_url: auto}', /MAESTRO_TOOL_APPROVAL: must be a JSON object/],
    ['an unknown policy', '{"fetch_url":"maybe"}', /MAESTRO_TOOL_APPROVAL\.fetch_url: .*"auto"\|"ask"\|"deny"/],
    ['an array', '["fetch_url"]', /MAESTRO_TOOL_APPROVAL: must be a JSON object of tool name/],
    ['a bad tool name', '{"fetch url":"ask"}', /MAESTRO_TOOL_APPROVAL\.fetch url: must be a JSON object of tool name/],
  ])('refuses %s at start, naming the variable', (_what, value, message) => {
    expect(() => parseConfig({ MAESTRO_TOOL_APPROVAL: value })).toThrow(message);
  });
});
