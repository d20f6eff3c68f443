import type { LanguageModelV4ToolResultPart } from '@ai-sdk/provider';
import type { OfflineToolName, ToolIntent } from '@/lib/models/offline/intent';

/**
 * What the offline model thinks before it acts, said plainly and taken from its own plan: the
 * tool it will call and why, or why it answers directly. Pure, so the same plan always reads the
 * same.
 */

/** Before a tool call: which tool, with what input, and why. */
export function reasoningForToolCall(intent: ToolIntent): string {
  switch (intent.toolName) {
    case 'calculator':
      return `The question is arithmetic: “${intent.input.expression}”. I will use the calculator tool to evaluate it exactly instead of working it out myself.`;
    case 'current_time':
      return `The question asks for the current time or date in ${intent.input.timeZone}. I have no clock of my own, so I will use the current_time tool for that time zone.`;
    case 'list_files': {
      const where = intent.input.path === '.' ? 'the workspace' : `the folder “${intent.input.path}”`;
      return `The question asks what is in ${where}. I will use the list_files tool to look instead of guessing.`;
    }
    case 'read_file':
      return `The question is about the file “${intent.input.path}”. I will use the read_file tool to read it, so that I quote what it really says.`;
    case 'write_file':
      return `The user asks me to write the file “${intent.input.path}”. I will use the write_file tool; the user reviews the write before it happens.`;
  }
}

/** One sentence on what a tool call gave back. */
function resultReason(part: LanguageModelV4ToolResultPart): string {
  switch (part.output.type) {
    case 'error-text':
    case 'error-json':
      return `The ${part.toolName} tool failed, so I will say what went wrong instead of guessing an answer.`;
    case 'execution-denied':
      return `The ${part.toolName} tool was not run: the call was denied. I will say so, and why.`;
    default:
      return `The ${part.toolName} tool returned its result.`;
  }
}

function lengthNote(words: number | undefined): string {
  return words === undefined ? '' : ` The question asks for about ${words} words, so the answer will be that long.`;
}

/** Before an answer written from the tool results the prompt ends with. */
export function reasoningForResults(results: LanguageModelV4ToolResultPart[], words?: number): string {
  const failed = results.some((part) => part.output.type !== 'json' && part.output.type !== 'text' && part.output.type !== 'content');
  const outcome = failed ? '' : ' I have what I need, so I will answer from it directly, without another tool call.';
  return `${results.map(resultReason).join(' ')}${outcome}${lengthNote(words)}`;
}

/** Before a direct answer: no tool fits, or the one that fits is not offered in this conversation. */
export function reasoningForDirectAnswer(unavailableTool?: OfflineToolName, words?: number): string {
  const why = unavailableTool
    ? `This question calls for the ${unavailableTool} tool, which is not enabled in this conversation. I will answer directly and say that I cannot run it.`
    : 'No tool fits this question: it is not arithmetic, a time or date question, or about the files of the workspace. I will answer directly with what I know about Maestro.';
  return `${why}${lengthNote(words)}`;
}
