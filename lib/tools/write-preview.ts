import { getConfig } from '@/lib/config';
import { readWorkspaceFile, WorkspaceError } from '@/lib/tools/workspace';

/** What a `write_file` call would replace, read when the call asks for approval. */
export type FilePreview = {
  toolCallId: string;
  path: string;
  /** The file's content now; null when the file does not exist yet (the write creates it). */
  previous: string | null;
  /** True when the file is longer than what was read: the diff covers its beginning only. */
  truncated: boolean;
  /** Why the write would be refused (a path outside the workspace, a folder…), if it would. */
  error?: string;
};

/** The preview of writing `input.path`: its current content, or why it cannot be written. */
export async function writePreview(toolCallId: string, input: unknown): Promise<FilePreview | undefined> {
  if (typeof input !== 'object' || input === null || !('path' in input) || typeof input.path !== 'string') return undefined;
  const config = getConfig();
  try {
    const current = await readWorkspaceFile(config.workspaceDir, input.path, config.writeFileMaxBytes);
    return { toolCallId, path: current.path, previous: current.content, truncated: current.truncated };
  } catch (error) {
    if (error instanceof WorkspaceError && error.code === 'not-found')
      return { toolCallId, path: input.path, previous: null, truncated: false };
    const message = error instanceof WorkspaceError ? error.message : 'The file cannot be read.';
    return { toolCallId, path: input.path, previous: null, truncated: false, error: message };
  }
}
