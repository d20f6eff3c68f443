import { isStepCount, ToolLoopAgent, type ToolSet } from 'ai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { agentInstructions } from '@/lib/agent/instructions';
import { withToolTimeouts } from '@/lib/agent/tool-timeout';
import { isToolOffered, tools } from '@/lib/tools';

export type AgentOptions = {
  maxSteps: number;
  /** Most tokens one model call may produce. */
  maxOutputTokens?: number;
  /** Longest one tool call may take; past it the call fails and the agent goes on. */
  toolTimeoutMs?: number;
  /** Whether the `fetch_url` tool is turned on (MAESTRO_FETCH_URL_ENABLED). */
  fetchUrlEnabled?: boolean;
};

/** The tools of one turn: those this configuration offers, each call with its time limit. */
export function agentTools(options: Pick<AgentOptions, 'toolTimeoutMs' | 'fetchUrlEnabled'> = {}): ToolSet {
  const config = { fetchUrl: { enabled: options.fetchUrlEnabled ?? false } };
  const offered: ToolSet = Object.fromEntries(Object.entries(tools).filter(([name]) => isToolOffered(name, config)));
  return options.toolTimeoutMs !== undefined ? withToolTimeouts(offered, options.toolTimeoutMs) : offered;
}

/**
 * The agent for one turn: the chosen model with Maestro's tools, looping over tool calls. The SDK
 * does not retry model calls (`maxRetries: 0`): the model passed in carries Maestro's retry policy
 * (see `withRetries`), which reports each retry to the run.
 */
export function createAgent(model: LanguageModelV4, options: AgentOptions) {
  return new ToolLoopAgent({
    model,
    instructions: agentInstructions(new Date(), { fetchUrl: options.fetchUrlEnabled }),
    tools: agentTools(options),
    stopWhen: isStepCount(options.maxSteps),
    maxRetries: 0,
    ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
  });
}
