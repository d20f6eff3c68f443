import { tool } from 'ai';
import { z } from 'zod';
import { toolInput } from '@/lib/tools/input-schema';
import { getConfig } from '@/lib/config';
import { writeWorkspaceFile, type WriteResult } from '@/lib/tools/workspace';

export type WriteFileOutput = WriteResult;

export const write_file = tool({
  description:
    'Write a text file in the workspace (a folder of documents the user shared with you), creating it ' +
    'or replacing its whole content. The path is relative to the workspace root, e.g. "notes.md" or ' +
    '"data/summary.txt"; its folder must exist. The user reviews each write before it happens, and may ' +
    'refuse it: then do not try again, say that the file was not written.',
  inputSchema: toolInput(
    z.object({
      path: z.string().min(1).max(1024).describe('File path relative to the workspace root, e.g. "notes.md".'),
      content: z.string().describe('The whole new content of the file (UTF-8 text).'),
    }),
  ),
  execute: async ({ path, content }, { abortSignal }): Promise<WriteFileOutput> => {
    const config = getConfig();
    return writeWorkspaceFile(config.workspaceDir, path, content, config.writeFileMaxBytes, abortSignal);
  },
});
