import type { CatalogEntry, ServerStatus, ToolApproval } from '@/lib/tools/catalog';
import { cn } from '@/components/ui/cn';

const APPROVAL_TEXT: Record<ToolApproval, string> = { auto: 'Runs', ask: 'Asks first', deny: 'Refused' };
const STATUS_TEXT: Record<ServerStatus['status'], string> = { connected: 'Connected', connecting: 'Connecting…', failed: 'Failed' };
const TRANSPORT_TEXT: Record<ServerStatus['transport'], string> = { stdio: 'stdio', http: 'Streamable HTTP', sse: 'SSE' };

function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'plain'; children: React.ReactNode }) {
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap',
        tone === 'ok' && 'border-success/40 text-success',
        tone === 'warn' && 'border-amber-500/50 text-amber-700 dark:text-amber-300',
        tone === 'bad' && 'border-destructive/50 text-destructive',
        tone === 'plain' && 'text-muted-foreground',
      )}
    >
      {children}
    </span>
  );
}

const APPROVAL_TONE: Record<ToolApproval, 'ok' | 'warn' | 'bad'> = { auto: 'ok', ask: 'warn', deny: 'bad' };
const STATUS_TONE: Record<ServerStatus['status'], 'ok' | 'warn' | 'bad'> = { connected: 'ok', connecting: 'warn', failed: 'bad' };

type ToolGroupProps = {
  /** The group's heading: "Built-in" or the server's name. */
  title: string;
  /** The MCP server, for a server's group. */
  server?: ServerStatus;
  tools: CatalogEntry[];
};

/** One source of tools (the built-in ones, or one MCP server with its status) and its tools with their policy. */
export function ToolGroup({ title, server, tools }: ToolGroupProps) {
  const headingId = `tools-${title.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <section
      aria-labelledby={headingId}
      data-testid="tool-group"
      data-source={server ? `mcp:${server.name}` : 'builtin'}
      className="rounded-lg border"
    >
      <div className="flex flex-wrap items-center gap-2 border-b px-3 py-2">
        <h3 id={headingId} className="font-mono text-sm font-semibold">
          {title}
        </h3>
        {server && (
          <>
            <span className="text-xs text-muted-foreground">{TRANSPORT_TEXT[server.transport]}</span>
            <span className="ml-auto" data-testid="server-status" data-status={server.status}>
              <Badge tone={STATUS_TONE[server.status]}>{STATUS_TEXT[server.status]}</Badge>
            </span>
          </>
        )}
      </div>
      {server?.error && (
        <p role="note" className="border-b px-3 py-2 text-xs break-words text-destructive">
          {server.error}
        </p>
      )}
      {tools.length === 0 ? (
        <p className="px-3 py-2 text-xs text-muted-foreground">
          No tools{server && server.status !== 'connected' ? ' while it is not connected' : ''}.
        </p>
      ) : (
        <ul className="divide-y">
          {tools.map((tool) => (
            <li
              key={tool.name}
              data-testid="tool-entry"
              data-tool-name={tool.name}
              className={cn('px-3 py-2', !tool.available && 'opacity-70')}
            >
              <div className="flex items-start gap-2">
                <span className="min-w-0 font-mono text-xs font-medium break-all">{tool.name}</span>
                <span className="ml-auto flex shrink-0 gap-1">
                  {!tool.available && <Badge tone="plain">Unavailable</Badge>}
                  <Badge tone={APPROVAL_TONE[tool.approval]}>
                    <span className="sr-only">Policy: </span>
                    {APPROVAL_TEXT[tool.approval]}
                  </Badge>
                </span>
              </div>
              {tool.description && <p className="mt-0.5 line-clamp-2 text-xs text-muted-foreground">{tool.description}</p>}
              {tool.approvalReason && <p className="mt-1 text-xs break-words text-amber-700 dark:text-amber-300">{tool.approvalReason}</p>}
              {!tool.available && tool.error && <p className="mt-1 text-xs break-words text-muted-foreground">{tool.error}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
