import type { LogEntry } from '@/lib/runs/log/types';

export type ChunkEntry = Extract<LogEntry, { kind: 'chunk' }>;

const jsonOfEntry = new WeakMap<ChunkEntry, string>();

/**
 * A chunk entry's JSON, made once per entry: the memory log hands the same entry to its archive
 * and to every follower of the run, so a run watched from many tabs is serialized once.
 */
export function chunkJson(entry: ChunkEntry): string {
  let json = jsonOfEntry.get(entry);
  if (json === undefined) {
    json = JSON.stringify(entry.chunk);
    jsonOfEntry.set(entry, json);
  }
  return json;
}
