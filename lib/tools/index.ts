import { calculator } from '@/lib/tools/calculator';
import { current_time } from '@/lib/tools/current-time';
import { fetch_url } from '@/lib/tools/fetch-url';
import { list_files } from '@/lib/tools/list-files';
import { read_file } from '@/lib/tools/read-file';
import { write_file } from '@/lib/tools/write-file';

/** Every tool the agent may use. The keys become the UI part types (`tool-calculator`, …). */
export const tools = { calculator, current_time, list_files, read_file, write_file, fetch_url };

export type ToolName = keyof typeof tools;

/** Whether this configuration offers a tool to the model: `fetch_url` only when it is turned on. */
export function isToolOffered(name: string, config: { fetchUrl: { enabled: boolean } }): boolean {
  return name !== 'fetch_url' || config.fetchUrl.enabled;
}

/** The names of the tools this configuration offers the model. */
export function enabledToolNames(config: { fetchUrl: { enabled: boolean } }): ToolName[] {
  return (Object.keys(tools) as ToolName[]).filter((name) => isToolOffered(name, config));
}

export type { CalculatorOutput } from '@/lib/tools/calculator';
export type { CurrentTimeOutput } from '@/lib/tools/current-time';
export type { FetchUrlOutput } from '@/lib/tools/fetch-url';
export type { ListFilesOutput } from '@/lib/tools/list-files';
export type { ReadFileOutput } from '@/lib/tools/read-file';
export type { WriteFileOutput } from '@/lib/tools/write-file';
export type { WorkspaceEntry } from '@/lib/tools/workspace';
