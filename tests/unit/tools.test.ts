import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BLOCKED_FUNCTIONS, calculate, calculator, MAX_EXPRESSION_LENGTH } from '@/lib/tools/calculator';
import { current_time, currentTime } from '@/lib/tools/current-time';
import { tools, enabledToolNames } from '@/lib/tools';
import { list_files } from '@/lib/tools/list-files';
import { read_file } from '@/lib/tools/read-file';
import { write_file } from '@/lib/tools/write-file';
import {
  listWorkspace,
  normalizeRelativePath,
  readWorkspaceFile,
  resolveInWorkspace,
  WorkspaceError,
  writeWorkspaceFile,
  type ListOutput,
  type ListResult,
} from '@/lib/tools/workspace';

/*
 * Layout of the temporary sandbox:
 *
 *   <base>/outside-secret.txt          a file outside the workspace
 *   <base>/outside-dir/secret.txt      a folder outside the workspace
 *   <base>/ws/                         the workspace root
 *     notes.md, data/sales.csv, data/deep/a/b/c/d/e.txt, binary.bin, big.txt, empty/
 *     link-out.txt  -> ../outside-secret.txt   (file symlink leaving the workspace)
 *     link-out-dir  -> ../outside-dir          (directory symlink leaving the workspace)
 *     link-in.md    -> notes.md                (symlink that stays inside)
 */
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'maestro-tools-'));
const root = path.join(base, 'ws');
fs.mkdirSync(path.join(root, 'data', 'deep', 'a', 'b', 'c', 'd'), { recursive: true });
fs.mkdirSync(path.join(root, 'empty'));
fs.mkdirSync(path.join(base, 'outside-dir'));
fs.writeFileSync(path.join(base, 'outside-secret.txt'), 'TOP SECRET\n');
fs.writeFileSync(path.join(base, 'outside-dir', 'secret.txt'), 'ALSO SECRET\n');
fs.writeFileSync(path.join(root, 'notes.md'), '# Notes\n\nRemember the milk.\n');
const SALES_CSV = 'month,total\njan,10\nfeb,12\n';
fs.writeFileSync(path.join(root, 'data', 'sales.csv'), SALES_CSV);
fs.writeFileSync(path.join(root, 'data', 'deep', 'a', 'b', 'c', 'd', 'e.txt'), 'deep\n');
fs.writeFileSync(path.join(root, 'binary.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
fs.writeFileSync(path.join(root, 'big.txt'), 'x'.repeat(5000));
fs.writeFileSync(path.join(root, 'accents.txt'), 'héllo wörld');
fs.symlinkSync(path.join(base, 'outside-secret.txt'), path.join(root, 'link-out.txt'));
fs.symlinkSync(path.join(base, 'outside-dir'), path.join(root, 'link-out-dir'));
fs.symlinkSync('notes.md', path.join(root, 'link-in.md'));

// The tools read the workspace and the size cap from the configuration, parsed on first use.
process.env.MAESTRO_WORKSPACE_DIR = root;
process.env.MAESTRO_READ_FILE_MAX_BYTES = '1000';
process.env.MAESTRO_WRITE_FILE_MAX_BYTES = '1000';

afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

const execOptions = { toolCallId: 'call-test', messages: [], context: {} };

async function collect<T>(output: AsyncIterable<T> | PromiseLike<T> | T): Promise<T[]> {
  if (typeof output === 'object' && output !== null && Symbol.asyncIterator in output) {
    const items: T[] = [];
    for await (const item of output as AsyncIterable<T>) items.push(item);
    return items;
  }
  return [await output];
}

async function listAll(rel: string, options?: Parameters<typeof listWorkspace>[2]): Promise<ListOutput[]> {
  return collect(listWorkspace(root, rel, options));
}

function finalOf(outputs: ListOutput[]): ListResult {
  const last = outputs.at(-1);
  if (!last || last.state !== 'done') throw new Error('the listing did not end with a result');
  return last;
}

describe('tool registry', () => {
  it('exports the tools under their wire names', () => {
    expect(Object.keys(tools).sort()).toEqual(['calculator', 'current_time', 'fetch_url', 'list_files', 'read_file', 'write_file']);
    for (const tool of Object.values(tools)) expect(tool.description?.length).toBeGreaterThan(40);
  });

  it('offers fetch_url to the model only when it is turned on', () => {
    expect(enabledToolNames({ fetchUrl: { enabled: false } })).not.toContain('fetch_url');
    expect(enabledToolNames({ fetchUrl: { enabled: true } })).toContain('fetch_url');
    expect(enabledToolNames({ fetchUrl: { enabled: false } })).toContain('read_file');
  });
});

describe('calculator', () => {
  it('multiplies', () => {
    expect(calculate('17 * 23')).toEqual({ expression: '17 * 23', result: '391' });
  });

  it('respects operator precedence and parentheses', () => {
    expect(calculate('2 + 3 * 4').result).toBe('14');
    expect(calculate('(2 + 3) * 4').result).toBe('20');
    expect(calculate('(2+3)^4').result).toBe('625');
    expect(calculate('2^3^2').result).toBe('512');
    expect(calculate('-2^2').result).toBe('-4');
  });

  it('supports functions, constants, factorial, percentages and units', () => {
    expect(calculate('sqrt(144)').result).toBe('12');
    expect(calculate('round(pi, 4)').result).toBe('3.1416');
    expect(calculate('10!').result).toBe('3628800');
    expect(calculate('15% * 80').result).toBe('12');
    expect(calculate('1/3').result).toBe('0.33333333333333');
    expect(calculate('sqrt(-4)').result).toBe('2i');
    expect(calculate('5 cm to inch').result).toMatch(/^1\.968503937\d* inch$/);
    expect(calculate('a = 2; a * 3').result).toBe('6');
  });

  it('is reachable through the tool execute function', async () => {
    const [output] = await collect(calculator.execute({ expression: '6 * 7' }, execOptions));
    expect(output).toEqual({ expression: '6 * 7', result: '42' });
  });

  it('rejects bad input with a clear error', () => {
    expect(() => calculate('2 +')).toThrow(/Cannot evaluate "2 \+"/);
    expect(() => calculate('foo * 2')).toThrow(/Undefined symbol foo/);
    expect(() => calculate('   ')).toThrow(/empty/);
    expect(() => calculate('sin')).toThrow(/does not evaluate to a value/);
    expect(() => calculate('1'.repeat(MAX_EXPRESSION_LENGTH + 1))).toThrow(/too long/);
    expect(() => calculate('f(x) = f(x); f(1)')).toThrow(/recurses too deeply/);
  });

  it.each([
    ['import({pi: 3}, {override: true})', 'import'],
    ['evaluate("1 + 1")', 'evaluate'],
    ['createUnit("parsec2", "3 lightyear")', 'createUnit'],
    ['parse("1 + 1")', 'parse'],
    ['compile("1 + 1")', 'compile'],
    ['simplify("x + x")', 'simplify'],
    ['derivative("x^2", "x")', 'derivative'],
    ['config({number: "BigNumber"})', 'config'],
    ['zeros(100000, 100000)', 'zeros'],
    ['1:100000000', 'range'],
  ])('refuses the blocked function in %s', (expression, name) => {
    expect(BLOCKED_FUNCTIONS).toContain(name);
    expect(() => calculate(expression)).toThrow(new RegExp(`"${name}" is not available`));
  });

  it('stays intact after a blocked call (the instance was not changed)', () => {
    expect(() => calculate('import({pi: 3}, {override: true})')).toThrow();
    expect(calculate('round(pi, 2)').result).toBe('3.14');
    expect(calculate('0.1 + 0.2').result).toBe('0.3');
  });

  it('cannot reach JavaScript internals', () => {
    expect(() => calculate('cos.constructor("return process")()')).toThrow(/Cannot evaluate/);
  });
});

describe('current_time', () => {
  const instant = new Date('2026-11-25T12:04:05Z');

  it('formats the time in the requested zone', () => {
    expect(currentTime('Asia/Tokyo', instant)).toEqual({
      timeZone: 'Asia/Tokyo',
      iso: '2026-11-25T21:04:05+09:00',
      formatted: 'Wednesday, 25 November 2026, 21:04:05 GMT+9',
    });
  });

  it('defaults to UTC and canonicalises zone names', () => {
    expect(currentTime(undefined, instant)).toEqual({
      timeZone: 'UTC',
      iso: '2026-11-25T12:04:05+00:00',
      formatted: 'Wednesday, 25 November 2026, 12:04:05 UTC',
    });
    expect(currentTime('america/new_york', instant).timeZone).toBe('America/New_York');
  });

  it('applies daylight saving time and half-hour offsets', () => {
    expect(currentTime('America/New_York', new Date('2026-07-01T12:00:00Z')).iso).toBe('2026-07-01T08:00:00-04:00');
    expect(currentTime('America/New_York', instant).iso).toBe('2026-11-25T07:04:05-05:00');
    expect(currentTime('Asia/Kolkata', instant).iso).toBe('2026-11-25T17:34:05+05:30');
  });

  it('refuses an unknown zone with a clear error', () => {
    expect(() => currentTime('Mars/Olympus_Mons')).toThrow(/Unknown time zone "Mars\/Olympus_Mons"/);
  });

  it('tells the current time through the tool', async () => {
    const before = Date.now();
    const [output] = await collect(current_time.execute({ timeZone: 'Europe/Paris' }, execOptions));
    expect(output?.timeZone).toBe('Europe/Paris');
    const parsed = Date.parse(output?.iso ?? '');
    expect(parsed).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(parsed).toBeLessThanOrEqual(Date.now());
  });
});

describe('list_files', () => {
  it('yields progress first and the listing last', async () => {
    const outputs = await listAll('.');
    expect(outputs.length).toBeGreaterThan(2);
    expect(outputs.slice(0, -1).every((output) => output.state === 'scanning')).toBe(true);
    expect(outputs[0]).toEqual({ state: 'scanning', path: '.', current: '.', scanned: 0 });
    const scanned = outputs.flatMap((output) => (output.state === 'scanning' ? [output.scanned] : []));
    expect(scanned).toEqual([...scanned].sort((a, b) => a - b));

    const result = finalOf(outputs);
    expect(result.truncated).toBe(false);
    expect(result.entries.map((entry) => entry.path)).toEqual([
      'data',
      'data/deep',
      'data/deep/a',
      'data/deep/a/b',
      'data/deep/a/b/c',
      'data/deep/a/b/c/d',
      'data/deep/a/b/c/d/e.txt',
      'data/sales.csv',
      'empty',
      'accents.txt',
      'big.txt',
      'binary.bin',
      'link-in.md',
      'notes.md',
    ]);
    expect(result.entries.find((entry) => entry.path === 'data/sales.csv')).toEqual({
      name: 'sales.csv',
      path: 'data/sales.csv',
      type: 'file',
      size: Buffer.byteLength(SALES_CSV),
    });
    expect(result.entries.find((entry) => entry.path === 'empty')).toEqual({ name: 'empty', path: 'empty', type: 'dir' });
  });

  it('leaves out links that point outside the workspace', async () => {
    const names = finalOf(await listAll('.')).entries.map((entry) => entry.name);
    expect(names).not.toContain('link-out.txt');
    expect(names).not.toContain('link-out-dir');
    expect(names).toContain('link-in.md');
  });

  it('lists a sub-folder with paths relative to the workspace', async () => {
    const result = finalOf(await listAll('data/'));
    expect(result.path).toBe('data');
    expect(result.entries[0]?.path).toBe('data/deep');
    expect(result.entries.at(-1)?.path).toBe('data/sales.csv');
  });

  it('caps the depth and the number of entries', async () => {
    const shallow = finalOf(await listAll('.', { maxDepth: 1 }));
    expect(shallow.truncated).toBe(true);
    expect(shallow.entries.some((entry) => entry.path.includes('/'))).toBe(false);

    const few = finalOf(await listAll('.', { maxEntries: 3 }));
    expect(few.truncated).toBe(true);
    expect(few.entries).toHaveLength(3);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const generator = listWorkspace(root, '.', { signal: controller.signal });
    await generator.next();
    controller.abort();
    await expect(generator.next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses a file and a missing folder', async () => {
    await expect(listAll('notes.md')).rejects.toThrow(/is a file, not a folder/);
    await expect(listAll('nope')).rejects.toThrow(/No such file or folder in the workspace: "nope"/);
  });

  it('streams preliminary outputs through the tool (generator execute)', async () => {
    const outputs = await collect(list_files.execute({}, execOptions));
    expect(outputs.length).toBeGreaterThan(1);
    expect(outputs[0]?.state).toBe('scanning');
    const last = outputs.at(-1);
    expect(last?.state).toBe('done');
    if (last?.state === 'done') expect(last.entries.map((entry) => entry.path)).toContain('notes.md');
  });
});

describe('read_file', () => {
  it('reads a text file', async () => {
    expect(await readWorkspaceFile(root, 'notes.md', 1000)).toEqual({
      path: 'notes.md',
      content: '# Notes\n\nRemember the milk.\n',
      bytes: 28,
      truncated: false,
    });
    expect((await readWorkspaceFile(root, './data/../data/sales.csv', 1000)).path).toBe('data/sales.csv');
  });

  it('follows a link that stays inside the workspace', async () => {
    const result = await readWorkspaceFile(root, 'link-in.md', 1000);
    expect(result.content).toContain('Remember the milk');
    expect(result.path).toBe('link-in.md');
  });

  it('truncates at the byte cap without splitting a character', async () => {
    const big = await readWorkspaceFile(root, 'big.txt', 100);
    expect(big).toMatchObject({ bytes: 5000, truncated: true });
    expect(big.content).toBe('x'.repeat(100));

    // "héllo": h (1 byte) + é (2 bytes); a 2-byte cap cuts é in half, which is held back.
    const accents = await readWorkspaceFile(root, 'accents.txt', 2);
    expect(accents.content).toBe('h');
    expect(accents.truncated).toBe(true);
  });

  it('uses the configured cap through the tool', async () => {
    const [output] = await collect(read_file.execute({ path: 'big.txt' }, execOptions));
    expect(output).toMatchObject({ path: 'big.txt', bytes: 5000, truncated: true });
    expect(output?.content).toHaveLength(1000);
  });

  it('refuses binary files, folders and missing files', async () => {
    await expect(readWorkspaceFile(root, 'binary.bin', 1000)).rejects.toThrow(/looks like a binary file/);
    await expect(readWorkspaceFile(root, 'data', 1000)).rejects.toThrow(/is a folder, not a file/);
    await expect(readWorkspaceFile(root, 'missing.md', 1000)).rejects.toThrow(/No such file or folder in the workspace: "missing.md"/);
    await expect(collect(read_file.execute({ path: 'missing.md' }, execOptions))).rejects.toThrow(/No such file/);
  });
});

describe('write_file', () => {
  it('creates a file, then replaces its whole content', async () => {
    expect(await writeWorkspaceFile(root, 'written/../new.txt', 'first', 1000)).toEqual({ path: 'new.txt', bytes: 5, created: true });
    expect(await writeWorkspaceFile(root, 'new.txt', 'second, longer', 1000)).toEqual({ path: 'new.txt', bytes: 14, created: false });
    expect(fs.readFileSync(path.join(root, 'new.txt'), 'utf8')).toBe('second, longer');
    expect(await writeWorkspaceFile(root, 'data/new.csv', 'a,b\n', 1000)).toMatchObject({ path: 'data/new.csv', created: true });
  });

  it('limits the size in UTF-8 bytes: the limit itself is allowed, one byte more is refused', async () => {
    expect((await writeWorkspaceFile(root, 'limit.txt', 'é'.repeat(5), 10)).bytes).toBe(10);
    await expect(writeWorkspaceFile(root, 'limit.txt', 'é'.repeat(5) + 'x', 10)).rejects.toThrow(
      /11 bytes; write_file writes at most 10 bytes/,
    );
    expect(fs.readFileSync(path.join(root, 'limit.txt'), 'utf8')).toBe('é'.repeat(5));
    // The tool takes its limit from MAESTRO_WRITE_FILE_MAX_BYTES.
    await expect(write_file.execute({ path: 'big-write.txt', content: 'x'.repeat(1001) }, execOptions)).rejects.toThrow(
      /at most 1000 bytes/,
    );
    expect(fs.existsSync(path.join(root, 'big-write.txt'))).toBe(false);
  });

  it('does not write through links, even one that stays inside, nor below a folder link that leaves', async () => {
    await expect(writeWorkspaceFile(root, 'link-out.txt', 'pwned', 1000)).rejects.toThrow(
      /is a link; write_file does not write through links/,
    );
    await expect(writeWorkspaceFile(root, 'link-in.md', 'changed', 1000)).rejects.toThrow(/is a link/);
    await expect(writeWorkspaceFile(root, 'link-out-dir/secret.txt', 'pwned', 1000)).rejects.toThrow(/outside the workspace/);
    await expect(writeWorkspaceFile(root, 'link-out-dir/new.txt', 'pwned', 1000)).rejects.toThrow(/outside the workspace/);
    expect(fs.readFileSync(path.join(base, 'outside-secret.txt'), 'utf8')).toBe('TOP SECRET\n');
    expect(fs.readFileSync(path.join(base, 'outside-dir', 'secret.txt'), 'utf8')).toBe('ALSO SECRET\n');
    expect(fs.existsSync(path.join(base, 'outside-dir', 'new.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(root, 'notes.md'), 'utf8')).toContain('Remember the milk');
  });

  it('refuses a missing folder, a folder as the file, the workspace itself and binary content', async () => {
    await expect(writeWorkspaceFile(root, 'nowhere/new.txt', 'x', 1000)).rejects.toThrow(/The folder "nowhere" does not exist/);
    await expect(writeWorkspaceFile(root, 'data', 'x', 1000)).rejects.toThrow(/is not a regular file/);
    await expect(writeWorkspaceFile(root, '.', 'x', 1000)).rejects.toThrow(/Give the path of a file/);
    await expect(writeWorkspaceFile(root, 'notes.md/inner.txt', 'x', 1000)).rejects.toThrow(/is a file, not a folder|does not exist/);
    await expect(writeWorkspaceFile(root, 'nul.txt', 'a\0b', 1000)).rejects.toThrow(/NUL character/);
    expect(fs.existsSync(path.join(root, 'nowhere'))).toBe(false);
  });
});

describe('workspace confinement', () => {
  it.each([
    ['../outside-secret.txt', /points outside the workspace/],
    ['a/../../outside-secret.txt', /points outside the workspace/],
    ['data/../../outside-secret.txt', /points outside the workspace/],
    ['..', /points outside the workspace/],
    ['/etc/passwd', /Absolute paths are not allowed/],
    [path.join(base, 'outside-secret.txt'), /Absolute paths are not allowed/],
    ['C:\\Windows\\win.ini', /Absolute paths are not allowed/],
    ['..\\outside-secret.txt', /points outside the workspace/],
    ['notes.md\0.txt', /NUL character/],
  ])('refuses %j', async (relPath, message) => {
    await expect(resolveInWorkspace(root, relPath)).rejects.toThrow(message);
    await expect(readWorkspaceFile(root, relPath, 1000)).rejects.toThrow(message);
    await expect(listAll(relPath)).rejects.toThrow(message);
    await expect(writeWorkspaceFile(root, relPath, 'overwritten', 1000)).rejects.toThrow(message);
    expect(fs.readFileSync(path.join(base, 'outside-secret.txt'), 'utf8')).toBe('TOP SECRET\n');
  });

  it('refuses a file symlink that leaves the workspace', async () => {
    await expect(readWorkspaceFile(root, 'link-out.txt', 1000)).rejects.toThrow(/link to a location outside the workspace/);
  });

  it('refuses a directory symlink that leaves the workspace, for reading and listing', async () => {
    await expect(readWorkspaceFile(root, 'link-out-dir/secret.txt', 1000)).rejects.toThrow(/outside the workspace/);
    await expect(listAll('link-out-dir')).rejects.toThrow(/outside the workspace/);
  });

  it('refuses escapes through the tools too, with WorkspaceError', async () => {
    const error: unknown = await collect(read_file.execute({ path: '../outside-secret.txt' }, execOptions)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceError);
    expect((error as WorkspaceError).code).toBe('outside-workspace');
    await expect(collect(list_files.execute({ path: '/etc' }, execOptions))).rejects.toThrow(/Absolute paths/);
  });

  it('normalises harmless relative paths', () => {
    expect(normalizeRelativePath('')).toBe('.');
    expect(normalizeRelativePath('./')).toBe('.');
    expect(normalizeRelativePath('data/')).toBe('data');
    expect(normalizeRelativePath('a/../data/./sales.csv')).toBe('data/sales.csv');
  });

  it('reports a missing workspace folder clearly', async () => {
    await expect(resolveInWorkspace(path.join(base, 'no-such-root'), '.')).rejects.toThrow(/workspace folder does not exist/);
  });
});
