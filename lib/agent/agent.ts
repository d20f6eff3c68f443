import { isStepCount, ToolLoopAgent } from 'ai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { agentInstructions } from '@/lib/agent/instructions';
import { tools } from '@/lib/tools';

/** The agent for one turn: the chosen model with Maestro's tools, looping over tool calls. */
export function createAgent(model: LanguageModelV4, options: { maxSteps: number }) {
  return new ToolLoopAgent({
    model,
    instructions: agentInstructions(),
    tools,
    stopWhen: isStepCount(options.maxSteps),
  });
}
