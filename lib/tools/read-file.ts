import { tool } from 'ai';
import { z } from 'zod';
import { toolInput } from '@/lib/tools/input-schema';
import { getConfig } from '@/lib/config';
import { readWorkspaceFile, type ReadResult } from '@/lib/tools/workspace';

export type ReadFileOutput = ReadResult;

export const read_file = tool({
  description:
    'Read a text file from the workspace (a folder of documents the user shared with you) and return ' +
    'its content. The path is relative to the workspace root, e.g. "notes.md" or "data/sales.csv"; ' +
    'call list_files first if you are not sure of it. Large files are cut at a size limit ' +
    '("truncated": true); binary files are refused.',
  inputSchema: toolInput(
    z.object({
      path: z.string().min(1).max(1024).describe('File path relative to the workspace root, e.g. "notes.md".'),
    }),
  ),
  execute: async ({ path }, { abortSignal }): Promise<ReadFileOutput> => {
    const config = getConfig();
    return readWorkspaceFile(config.workspaceDir, path, config.readFileMaxBytes, abortSignal);
  },
});
