import { calculator } from '@/lib/tools/calculator';
import { current_time } from '@/lib/tools/current-time';
import { list_files } from '@/lib/tools/list-files';
import { read_file } from '@/lib/tools/read-file';

/** Every tool the agent may use. The keys become the UI part types (`tool-calculator`, …). */
export const tools = { calculator, current_time, list_files, read_file };

export type ToolName = keyof typeof tools;

export type { CalculatorOutput } from '@/lib/tools/calculator';
export type { CurrentTimeOutput } from '@/lib/tools/current-time';
export type { ListFilesOutput } from '@/lib/tools/list-files';
export type { ReadFileOutput } from '@/lib/tools/read-file';
export type { WorkspaceEntry } from '@/lib/tools/workspace';
