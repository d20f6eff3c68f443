import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { SqliteRunLogArchive } from '@/lib/runs/log/sqlite-archive';

const dir = mkdtempSync(path.join(tmpdir(), 'maestro-crash-'));
/** Most words the producer hands the writer in one turn of the event loop (tests/helpers/crash-producer.ts). */
const MAX_BATCH_WORDS = 5;

type Trial = { produced: number; streamed: number; saved: string[] };

/** Starts a producer process, kills it with SIGKILL after `killAfterMs`, and reads what its log kept. */
async function killedProducer(trial: number, killAfterMs: number): Promise<Trial> {
  const file = path.join(dir, `trial-${trial}.db`);
  const child = spawn(
    process.execPath,
    ['--experimental-transform-types', '--no-warnings', '--import', './tests/helpers/ts-paths.mjs', 'tests/helpers/crash-producer.ts', file, 'run'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  let killTimer: NodeJS.Timeout | undefined;
  child.stdout.on('data', (data: Buffer) => {
    output += data.toString();
    if (killTimer === undefined && output.startsWith('ready\n')) killTimer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  expect(signal).toBe('SIGKILL');
  const last = (kind: 'P' | 'S') => Math.max(-1, ...[...output.matchAll(new RegExp(`^${kind} (\\d+)$`, 'gm'))].map((match) => Number(match[1])));
  const archive = new SqliteRunLogArchive(file);
  const saved = archive.load('run').flatMap((entry) => (entry.kind === 'chunk' && entry.chunk.type === 'text-delta' ? [entry.chunk.delta] : []));
  await archive.close();
  return { produced: last('P') + 1, streamed: last('S') + 1, saved };
}

it('keeps, through a SIGKILL at a random moment, every word a follower saw, in order, missing at most the last batch', { timeout: 120_000 }, async () => {
  for (let trial = 0; trial < 12; trial++) {
    const { produced, streamed, saved } = await killedProducer(trial, 30 + Math.random() * 400);
    expect(produced).toBeGreaterThan(0);
    // The saved text is the start of what was written, word for word, in order…
    expect(saved).toEqual(Array.from({ length: saved.length }, (_, n) => `w${n} `));
    // …holds everything any follower had received…
    expect(saved.length).toBeGreaterThanOrEqual(streamed);
    // …and misses at most the batch that was not yet appended when the process died.
    expect(produced - saved.length).toBeLessThanOrEqual(MAX_BATCH_WORDS);
  }
});
