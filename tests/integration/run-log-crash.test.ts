import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { SqliteRunLogArchive } from '@/lib/runs/log/sqlite-archive';

const dir = mkdtempSync(path.join(tmpdir(), 'maestro-crash-'));
/** What a crash may lose: what the producer wrote in about the last second before it. */
const AT_MOST_LOST_MS = 1_000;

type Trial = { produced: Array<{ n: number; at: number }>; streamed: number; saved: string[]; killedAt: number };

/** Starts a producer process, kills it with SIGKILL after `killAfterMs`, and reads what its log kept. */
async function killedProducer(trial: number, killAfterMs: number): Promise<Trial> {
  const file = path.join(dir, `trial-${trial}.db`);
  const child = spawn(
    process.execPath,
    [
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      './tests/helpers/ts-paths.mjs',
      'tests/helpers/crash-producer.ts',
      file,
      'run',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  let killedAt = 0;
  let killTimer: NodeJS.Timeout | undefined;
  child.stdout.on('data', (data: Buffer) => {
    output += data.toString();
    if (killTimer !== undefined || !output.startsWith('ready\n')) return;
    killTimer = setTimeout(() => {
      killedAt = Date.now();
      child.kill('SIGKILL');
    }, killAfterMs);
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  expect(signal).toBe('SIGKILL');
  const produced = [...output.matchAll(/^P (\d+) (\d+)$/gm)].map((match) => ({ n: Number(match[1]), at: Number(match[2]) }));
  const streamed = Math.max(-1, ...[...output.matchAll(/^S (\d+)$/gm)].map((match) => Number(match[1]))) + 1;
  // What a process started after the crash finds in the file.
  const archive = new SqliteRunLogArchive(file);
  const saved = archive
    .load('run')
    .flatMap((entry) => (entry.kind === 'chunk' && entry.chunk.type === 'text-delta' ? [entry.chunk.delta] : []));
  await archive.close();
  return { produced, streamed, saved, killedAt };
}

it(
  'keeps, through a SIGKILL at a random moment, the words written before it in order, losing at most the last moment',
  { timeout: 120_000 },
  async () => {
    const losses: number[] = [];
    for (let trial = 0; trial < 12; trial++) {
      const { produced, streamed, saved, killedAt } = await killedProducer(trial, 30 + Math.random() * 400);
      expect(produced.length).toBeGreaterThan(0);
      // The saved text is the start of what was written, word for word, in order…
      expect(saved).toEqual(Array.from({ length: saved.length }, (_, n) => `w${n} `));
      // …and holds every word written more than a moment before the kill.
      const due = produced.filter((word) => word.at < killedAt - AT_MOST_LOST_MS).length;
      expect(saved.length).toBeGreaterThanOrEqual(due);
      losses.push(Math.max(0, streamed - saved.length));
    }
    console.log(`words a follower had seen but the file did not keep, per trial: ${losses.join(', ')}`);
  },
);
