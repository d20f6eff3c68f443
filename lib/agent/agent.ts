import { experimental_streamTextLowMemory as streamTextLowMemory, isStepCount, type ModelMessage, type ToolSet } from 'ai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { agentInstructions } from '@/lib/agent/instructions';
import { withToolTimeouts } from '@/lib/agent/tool-timeout';
import { isMcpToolName, mcpTools } from '@/lib/mcp';
import { isToolOffered, tools } from '@/lib/tools';
import type { CatalogEntry } from '@/lib/tools/catalog';
import { catalogWith, type ApprovalOverrides, type ToolApprovalRules } from '@/lib/tools/policy';

export type AgentOptions = {
  maxSteps: number;
  /** Most tokens one model call may produce. */
  maxOutputTokens?: number;
  /** Longest one tool call may take; past it the call fails and the agent goes on. */
  toolTimeoutMs?: number;
  /** Whether the `fetch_url` tool is turned on (MAESTRO_FETCH_URL_ENABLED). */
  fetchUrlEnabled?: boolean;
};

/** The tools of one answer and the catalog that says each one's approval policy. */
export type AnswerToolset = { tools: ToolSet; catalog: CatalogEntry[] };

/**
 * The tools of one answer: the built-in ones this configuration offers and those of the connected MCP
 * servers, each call with its time limit; and their catalog, with `overrides`
 * (MAESTRO_TOOL_APPROVAL) applied to the policies.
 */
export async function agentToolset(
  options: Pick<AgentOptions, 'toolTimeoutMs' | 'fetchUrlEnabled'> & { overrides?: ApprovalOverrides } = {},
): Promise<AnswerToolset> {
  const config = { fetchUrl: { enabled: options.fetchUrlEnabled ?? false } };
  const builtin: ToolSet = Object.fromEntries(Object.entries(tools).filter(([name]) => isToolOffered(name, config)));
  const external = await mcpTools();
  const offered: ToolSet = { ...builtin, ...external.tools };
  return {
    tools: options.toolTimeoutMs !== undefined ? withToolTimeouts(offered, options.toolTimeoutMs) : offered,
    catalog: catalogWith(config, external.entries, options.overrides ?? {}),
  };
}

/**
 * One streamed answer of the agent. `maxRetries: 0` because the model carries Maestro's retry policy
 * (`withRetries`); the stream skips the SDK's replay branch, which would queue every part a second time unread.
 */
export function streamAgentAnswer(
  model: LanguageModelV4,
  options: AgentOptions & {
    tools: ToolSet;
    messages: ModelMessage[];
    abortSignal: AbortSignal;
    /** Which calls run, wait for the user or are refused (see `approvalRules`). */
    toolApproval: ToolApprovalRules;
    /** Signs each approval request and checks the answers to them: a forged or altered one never runs. */
    approvalSecret: Uint8Array;
  },
) {
  return streamTextLowMemory({
    model,
    instructions: agentInstructions(new Date(), {
      fetchUrl: options.fetchUrlEnabled,
      externalTools: Object.keys(options.tools).some(isMcpToolName),
    }),
    tools: options.tools,
    toolApproval: options.toolApproval,
    experimental_toolApprovalSecret: options.approvalSecret,
    stopWhen: isStepCount(options.maxSteps),
    maxRetries: 0,
    ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
    messages: options.messages,
    abortSignal: options.abortSignal,
  });
}
