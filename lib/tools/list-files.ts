import { tool } from 'ai';
import { z } from 'zod';
import { toolInput } from '@/lib/tools/input-schema';
import { getConfig } from '@/lib/config';
import { listWorkspace, type ListOutput } from '@/lib/tools/workspace';

export type ListFilesOutput = ListOutput;

export const list_files = tool({
  description:
    'List the files and folders in the workspace (a folder of documents the user shared with you), ' +
    'recursively, with file sizes in bytes. Use it when the user asks what files there are, or before ' +
    'reading a file whose exact path you do not know. Paths are relative to the workspace root; the ' +
    'returned entry paths can be passed to read_file as they are.',
  inputSchema: toolInput(
    z.object({
      path: z
        .string()
        .max(1024)
        .optional()
        .describe('Folder to list, relative to the workspace root, e.g. "data". Defaults to "." (the whole workspace).'),
    }),
  ),
  // Each yield before the last reaches the client as a preliminary output (scan progress).
  execute: async function* ({ path }, { abortSignal }): AsyncGenerator<ListFilesOutput, void, undefined> {
    yield* listWorkspace(getConfig().workspaceDir, path ?? '.', { signal: abortSignal });
  },
});
