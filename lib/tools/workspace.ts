import { constants as fsConstants, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Path confinement for the file tools (the root is passed in, so tests can use a temporary folder): a path
 * must be relative, stay inside the root once normalised, and have its real path (links followed) inside it.
 */

/** A refused or failed workspace operation; its message is safe to show to the model and the user. */
export class WorkspaceError extends Error {
  readonly code:
    | 'invalid-path'
    | 'outside-workspace'
    | 'not-found'
    | 'not-a-file'
    | 'not-a-directory'
    | 'binary'
    | 'no-workspace'
    | 'too-large'
    | 'link';

  constructor(code: WorkspaceError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export type ResolvedPath = {
  /** The real absolute path on disk (symlinks followed). */
  absolute: string;
  /** The path relative to the workspace root, with `/` separators; `.` for the root itself. */
  relative: string;
};

export type WorkspaceEntry = {
  name: string;
  /** Relative to the workspace root, `/`-separated: can be passed to `read_file` as is. */
  path: string;
  type: 'file' | 'dir';
  /** Size in bytes (files only). */
  size?: number;
};

export type ListProgress = {
  state: 'scanning';
  /** The folder being listed (relative to the workspace). */
  path: string;
  /** The folder being read right now. */
  current: string;
  /** Entries found so far. */
  scanned: number;
};

export type ListResult = {
  state: 'done';
  path: string;
  entries: WorkspaceEntry[];
  /** True when the depth or entry cap cut the listing short. */
  truncated: boolean;
};

export type ListOutput = ListProgress | ListResult;

export type ListOptions = {
  /** How many folder levels below `path` to descend into; 1 lists only `path` itself. Default 8. */
  maxDepth?: number;
  /** Stop after this many entries. Default 200. */
  maxEntries?: number;
  signal?: AbortSignal;
};

export type ReadResult = {
  path: string;
  content: string;
  /** Size of the whole file in bytes. */
  bytes: number;
  /** True when only the first `maxBytes` bytes were read. */
  truncated: boolean;
};

export type WriteResult = {
  path: string;
  /** Size of the written content in bytes (UTF-8). */
  bytes: number;
  /** True when the file did not exist before. */
  created: boolean;
};

const DEFAULT_MAX_DEPTH = 8;
const DEFAULT_MAX_ENTRIES = 200;
const MAX_PATH_LENGTH = 1024;

function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return candidate.startsWith(prefix);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

async function realRoot(root: string): Promise<string> {
  try {
    return await fs.realpath(root);
  } catch {
    throw new WorkspaceError('no-workspace', 'The workspace folder does not exist on this server.');
  }
}

/** Checks a user-supplied relative path without touching the disk; returns it normalised (`.` for the root). */
export function normalizeRelativePath(relPath: string): string {
  const raw = relPath.trim();
  if (raw.includes('\0')) throw new WorkspaceError('invalid-path', 'The path contains a NUL character.');
  if (raw.length > MAX_PATH_LENGTH) throw new WorkspaceError('invalid-path', 'The path is too long.');
  if (raw === '') return '.';
  if (path.posix.isAbsolute(raw) || path.win32.isAbsolute(raw)) {
    throw new WorkspaceError(
      'invalid-path',
      `Absolute paths are not allowed: "${raw}". Use a path relative to the workspace, e.g. "notes.md".`,
    );
  }
  const normalized = path.posix.normalize(raw.replaceAll('\\', '/'));
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new WorkspaceError('outside-workspace', `"${raw}" points outside the workspace; only files inside it can be used.`);
  }
  const trimmed = normalized.replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}

/**
 * Resolves `relPath` inside `root` and checks that it exists and that its real path stays in
 * the workspace. Throws a `WorkspaceError` otherwise.
 */
export async function resolveInWorkspace(root: string, relPath: string): Promise<ResolvedPath> {
  const relative = normalizeRelativePath(relPath);
  const rootReal = await realRoot(root);
  const lexical = path.resolve(rootReal, relative);
  if (!isInside(rootReal, lexical)) {
    throw new WorkspaceError('outside-workspace', `"${relPath}" points outside the workspace; only files inside it can be used.`);
  }
  let absolute: string;
  try {
    absolute = await fs.realpath(lexical);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') {
      throw new WorkspaceError('not-found', `No such file or folder in the workspace: "${relative}".`);
    }
    throw new WorkspaceError('invalid-path', `Cannot open "${relative}".`);
  }
  if (!isInside(rootReal, absolute)) {
    throw new WorkspaceError('outside-workspace', `"${relative}" is a link to a location outside the workspace; it cannot be used.`);
  }
  return { absolute, relative };
}

type Classified = { entry: WorkspaceEntry; absolute: string; descend: boolean };

/** Reads one folder: its entries sorted (folders first, then by name), links leaving the workspace dropped. */
async function readFolder(rootReal: string, absolute: string, relative: string): Promise<Classified[]> {
  const dirents = await fs.readdir(absolute, { withFileTypes: true });
  const items: Classified[] = [];
  for (const dirent of dirents) {
    const entryAbsolute = path.join(absolute, dirent.name);
    const entryPath = relative === '.' ? dirent.name : `${relative}/${dirent.name}`;
    let stat: Stats;
    let descend = false;
    try {
      if (dirent.isSymbolicLink()) {
        // A link is shown only when its target stays in the workspace; it is never descended into.
        const target = await fs.realpath(entryAbsolute);
        if (!isInside(rootReal, target)) continue;
        stat = await fs.stat(target);
      } else {
        stat = await fs.stat(entryAbsolute);
        descend = stat.isDirectory();
      }
    } catch {
      continue; // dangling link or vanished entry
    }
    if (stat.isDirectory()) {
      items.push({ entry: { name: dirent.name, path: entryPath, type: 'dir' }, absolute: entryAbsolute, descend });
    } else if (stat.isFile()) {
      items.push({ entry: { name: dirent.name, path: entryPath, type: 'file', size: stat.size }, absolute: entryAbsolute, descend: false });
    }
  }
  return items.sort((a, b) => {
    if (a.entry.type !== b.entry.type) return a.entry.type === 'dir' ? -1 : 1;
    return a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0;
  });
}

/**
 * Lists `relPath` recursively, in tree order (each folder is followed by its contents; folders
 * before files, then by name). Yields a progress object before each folder is read and the
 * final result last.
 */
export async function* listWorkspace(
  root: string,
  relPath: string,
  options: ListOptions = {},
): AsyncGenerator<ListOutput, void, undefined> {
  const maxDepth = Math.max(1, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  const maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
  const { signal } = options;

  signal?.throwIfAborted();
  const start = await resolveInWorkspace(root, relPath);
  if (!(await fs.stat(start.absolute)).isDirectory()) {
    throw new WorkspaceError('not-a-directory', `"${start.relative}" is a file, not a folder. Use read_file to read it.`);
  }
  const rootReal = await realRoot(root);
  const entries: WorkspaceEntry[] = [];
  let truncated = false;

  async function* walk(absolute: string, relative: string, depth: number): AsyncGenerator<ListProgress, void, undefined> {
    signal?.throwIfAborted();
    yield { state: 'scanning', path: start.relative, current: relative, scanned: entries.length };
    const items = await readFolder(rootReal, absolute, relative);
    for (const item of items) {
      if (entries.length >= maxEntries) {
        truncated = true;
        return;
      }
      entries.push(item.entry);
      if (!item.descend) continue;
      if (depth < maxDepth) yield* walk(item.absolute, item.entry.path, depth + 1);
      else truncated = true;
    }
  }

  yield* walk(start.absolute, start.relative, 1);
  signal?.throwIfAborted();
  yield { state: 'done', path: start.relative, entries, truncated };
}

/** Reads a text file from the workspace, at most `maxBytes` bytes of it. */
export async function readWorkspaceFile(root: string, relPath: string, maxBytes: number, signal?: AbortSignal): Promise<ReadResult> {
  signal?.throwIfAborted();
  const resolved = await resolveInWorkspace(root, relPath);
  // Checked before opening: opening a FIFO would block until something writes to it.
  const kind = await fs.stat(resolved.absolute);
  if (kind.isDirectory()) {
    throw new WorkspaceError('not-a-file', `"${resolved.relative}" is a folder, not a file. Use list_files to see what it contains.`);
  }
  if (!kind.isFile()) throw new WorkspaceError('not-a-file', `"${resolved.relative}" is not a regular file.`);
  const handle = await fs.open(resolved.absolute, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new WorkspaceError('not-a-file', `"${resolved.relative}" is not a regular file.`);
    const limit = Math.max(0, Math.min(maxBytes, stat.size));
    const buffer = Buffer.alloc(limit);
    let read = 0;
    while (read < limit) {
      const { bytesRead } = await handle.read(buffer, read, limit - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    const bytes = buffer.subarray(0, read);
    if (bytes.includes(0)) {
      throw new WorkspaceError('binary', `"${resolved.relative}" looks like a binary file; read_file only reads text files.`);
    }
    // `stream: true` holds back a multi-byte character cut in half by the cap instead of mangling it.
    const content = new TextDecoder('utf-8').decode(bytes, { stream: stat.size > read });
    return { path: resolved.relative, content, bytes: stat.size, truncated: stat.size > read };
  } finally {
    await handle.close();
  }
}

/**
 * Writes `content` (UTF-8, at most `maxBytes`) to a workspace file, confined as reading is. The file must not
 * be a link (it could point anywhere) and is opened with O_NOFOLLOW, so a link put there meanwhile is refused.
 */
export async function writeWorkspaceFile(
  root: string,
  relPath: string,
  content: string,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<WriteResult> {
  signal?.throwIfAborted();
  const relative = normalizeRelativePath(relPath);
  if (relative === '.') throw new WorkspaceError('invalid-path', 'Give the path of a file to write, e.g. "notes.md".');
  if (content.includes('\0'))
    throw new WorkspaceError('binary', 'The content contains a NUL character; write_file only writes text files.');
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > maxBytes) {
    throw new WorkspaceError('too-large', `The content is ${bytes} bytes; write_file writes at most ${maxBytes} bytes.`);
  }
  const parent = await resolveInWorkspace(root, path.posix.dirname(relative)).catch((error: unknown) => {
    if (error instanceof WorkspaceError && error.code === 'not-found') {
      throw new WorkspaceError('not-found', `The folder "${path.posix.dirname(relative)}" does not exist in the workspace.`);
    }
    throw error;
  });
  if (!(await fs.stat(parent.absolute)).isDirectory()) {
    throw new WorkspaceError('not-a-directory', `"${parent.relative}" is a file, not a folder.`);
  }
  const target = path.join(parent.absolute, path.posix.basename(relative));
  const existing = await fs.lstat(target).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return null;
    throw new WorkspaceError('invalid-path', `Cannot open "${relative}".`);
  });
  if (existing?.isSymbolicLink()) throw new WorkspaceError('link', `"${relative}" is a link; write_file does not write through links.`);
  if (existing && !existing.isFile()) throw new WorkspaceError('not-a-file', `"${relative}" is not a regular file.`);
  signal?.throwIfAborted();
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(target, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | (fsConstants.O_NOFOLLOW ?? 0), 0o644);
  } catch (error) {
    if (errorCode(error) === 'ELOOP') throw new WorkspaceError('link', `"${relative}" is a link; write_file does not write through links.`);
    throw new WorkspaceError('invalid-path', `Cannot write "${relative}".`);
  }
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  const written = parent.relative === '.' ? path.posix.basename(relative) : `${parent.relative}/${path.posix.basename(relative)}`;
  return { path: written, bytes, created: existing === null };
}
