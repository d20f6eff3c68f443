// A run's producer in a process of its own, to be killed with SIGKILL: it writes a known sequence
// of words to a persisted run log through the producer's LogWriter, in groups of 1–5 words
// (each group one turn of the event loop, so one batch) at random short intervals, while a
// follower in the same process reads the log as a subscriber would. Each line on stdout says what
// happened: `P <n> <ms>` word n was handed to the writer at that time, `S <n>` the follower received
// word n.
import { follow } from '@/lib/runs/log';
import { MemoryRunLog } from '@/lib/runs/log/memory';
import { SqliteRunLogArchive } from '@/lib/runs/log/sqlite-archive';
import { LogWriter } from '@/lib/runs/log-writer';

const [filePath, runId] = process.argv.slice(2) as [string, string];
const archive = new SqliteRunLogArchive(filePath);
const log = new MemoryRunLog({ ttlMs: 60_000, maxEntries: 100_000, archive });
// As in the server, whose writer thread is up long before the first answer (the interval keeps
// this process alive meanwhile: the writer does not).
const alive = setInterval(() => undefined, 1_000);
await archive.flush();
clearInterval(alive);
const writer = new LogWriter(log, runId, (error) => {
  console.error(error);
  process.exit(1);
});

void (async () => {
  for await (const entry of follow(log, runId, undefined, { waitMs: 60_000 })) {
    if (entry.kind === 'chunk' && entry.chunk.type === 'text-delta') process.stdout.write(`S ${entry.chunk.delta.trim().slice(1)}\n`);
  }
})();

let n = 0;
process.stdout.write('ready\n');
for (;;) {
  const group = 1 + Math.floor(Math.random() * 5);
  for (let i = 0; i < group; i++, n++) {
    writer.write({ type: 'text-delta', id: 't', delta: `w${n} ` });
    process.stdout.write(`P ${n} ${Date.now()}\n`);
  }
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
}
