import { mkdtempSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryRunLog, type MemoryRunLogOptions } from '@/lib/runs/log/memory';
import { SqliteRunLogArchive } from '@/lib/runs/log/sqlite-archive';
import { describeRunLogContract, payload, readAll, word } from '@/tests/helpers/run-log-contract';
import { sleep } from '@/tests/helpers/sleep';

const dir = mkdtempSync(path.join(tmpdir(), 'maestro-run-log-'));
let files = 0;
const newFile = () => path.join(dir, `run-log-${files++}.db`);

/** The archives opened here, to wait for their writes: a crashed process's last commit is what it left. */
const archives = new Map<MemoryRunLog, SqliteRunLogArchive>();

/** A persisted run log on `filePath`, as the server opens it. */
function open(filePath: string, options: Omit<MemoryRunLogOptions, 'archive'> = {}): MemoryRunLog {
  const archive = new SqliteRunLogArchive(filePath);
  const log = new MemoryRunLog({ ttlMs: 60_000, maxEntries: 10_000, ...options, archive });
  archives.set(log, archive);
  return log;
}

/** What `log` has written is committed (the writer thread takes about a millisecond). */
const committed = (log: MemoryRunLog) => archives.get(log)!.flush();

describeRunLogContract('sqlite', ({ ttlMs }) => {
  const log = open(newFile(), { ttlMs: ttlMs ?? 60_000 });
  // One process: "another instance" is the same log.
  return { log, other: log };
});

describe('persisted run log', () => {
  it('looks in the file only for the runs an earlier process left there', async () => {
    const file = newFile();
    const before = open(file);
    await before.append('earlier', [word(0)]);
    await committed(before);
    const archive = new SqliteRunLogArchive(file);
    // A run started now is not looked for: no read on the way to its first status.
    expect(archive.load('new-run')).toEqual([]);
    expect(archive.load('earlier').map(payload)).toEqual([word(0)]);
    await Promise.all([before.close(), archive.close()]);
  });

  it('gives a process started after a crash every entry the dead one wrote, at the same positions', async () => {
    const file = newFile();
    const before = open(file);
    await before.append('r', [word(0), word(1)]);
    await before.append('r', [word(2)]);
    const written = await readAll(before, 'r');
    // No close: the process died, after its writer committed.
    await committed(before);
    const after = open(file);
    expect(await readAll(after, 'r')).toEqual(written);
    expect(await readAll(after, 'r', written[1]!.id)).toEqual(written.slice(2));
    // It goes on where the dead one stopped, and the end is kept too.
    await after.append('r', [word(3)]);
    expect(await after.end('r', 'interrupted')).toBe(true);
    const all = await readAll(after, 'r');
    expect(all.map((entry) => entry.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(all.map(payload)).toEqual([word(0), word(1), word(2), word(3), { end: 'interrupted' }]);
    await committed(after);
    const third = open(file);
    expect(await readAll(third, 'r')).toEqual(all);
    expect(await third.end('r', 'complete')).toBe(false);
    await Promise.all([before.close(), after.close(), third.close()]);
  });

  it('does not hand a new process the lease or a stop of the dead one', async () => {
    const file = newFile();
    const before = open(file);
    await before.renewLease('r', 60_000);
    await before.append('r', [word(0)]);
    await committed(before);
    const after = open(file);
    expect(await after.hasLease('r')).toBe(false);
    await Promise.all([before.close(), after.close()]);
  });

  it('forgets an ended run after its TTL in the file too, and a run idle for idleTtlMs', async () => {
    const file = newFile();
    const log = open(file, { ttlMs: 100, idleTtlMs: 300 });
    await log.append('ended', [word(0)]);
    await log.end('ended', 'complete');
    await log.append('idle', [word(0)]);
    await sleep(450);
    await committed(log);
    const reopened = open(file, { ttlMs: 100, idleTtlMs: 300 });
    expect(await readAll(reopened, 'ended')).toEqual([]);
    expect(await readAll(reopened, 'idle')).toEqual([]);
    // Gone from the file, not only hidden: a log with longer TTLs finds nothing either.
    const patient = open(file, { ttlMs: 60_000, idleTtlMs: 60_000 });
    expect(await readAll(patient, 'ended')).toEqual([]);
    expect(await readAll(patient, 'idle')).toEqual([]);
    await Promise.all([log.close(), reopened.close(), patient.close()]);
  });

  it('serves an ended run from the file once it is committed, and holds its entries no longer', async () => {
    const file = newFile();
    const log = open(file);
    await log.append('r', [word(0), word(1)]);
    await log.append('r', [word(2)]);
    await log.append('r', [word(3), word(4), word(5)]);
    await log.end('r', 'complete');
    const whole = await readAll(log, 'r');
    await committed(log);
    // Readers after the commit get the same entries, from any position, including one inside a batch.
    expect(await readAll(log, 'r')).toEqual(whole);
    for (const [index, entry] of whole.entries()) expect(await readAll(log, 'r', entry.id)).toEqual(whole.slice(index + 1));
    // They come from the file: with its rows gone, the log has nothing left of the run.
    const db = new DatabaseSync(file);
    db.prepare('DELETE FROM run_log WHERE run_id = ?').run('r');
    db.close();
    expect(await readAll(log, 'r')).toEqual([]);
    await log.close();
  });

  it('still serves ended runs from the file after a sweep that could not delete', async () => {
    const file = newFile();
    const log = open(file);
    await log.append('r', [word(0)]);
    await committed(log);
    // Every delete from the file fails from now on; saving still works.
    const db = new DatabaseSync(file);
    db.exec("CREATE TRIGGER refuse_delete BEFORE DELETE ON run_log BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    db.close();
    archives.get(log)!.forget(Date.now(), Date.now());
    await committed(log);
    await log.append('ended', [word(0), word(1)]);
    await log.end('ended', 'complete');
    await committed(log);
    // Released to the file: with its rows gone, the log has nothing left of the run.
    const cleaner = new DatabaseSync(file);
    cleaner.exec('DROP TRIGGER refuse_delete');
    cleaner.prepare('DELETE FROM run_log WHERE run_id = ?').run('ended');
    cleaner.close();
    expect(await readAll(log, 'ended')).toEqual([]);
    await log.close();
  });

  it('keeps a running run in memory: its entries do not depend on the file', async () => {
    const file = newFile();
    const log = open(file);
    await log.append('r', [word(0), word(1)]);
    await committed(log);
    const db = new DatabaseSync(file);
    db.prepare('DELETE FROM run_log WHERE run_id = ?').run('r');
    db.close();
    expect((await readAll(log, 'r')).map(payload)).toEqual([word(0), word(1)]);
    await log.close();
  });
});
