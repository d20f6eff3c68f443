import type { StreamChunk } from '@/lib/chat/status';

const jsonOfChunk = new WeakMap<StreamChunk, string>();

/**
 * A chunk's JSON, made once per chunk: the log hands the same chunk to its store (SQLite, Redis) and
 * to every follower in this process, so a run watched from many tabs is serialized once.
 */
export function chunkJson(chunk: StreamChunk): string {
  let json = jsonOfChunk.get(chunk);
  if (json === undefined) {
    json = JSON.stringify(chunk);
    jsonOfChunk.set(chunk, json);
  }
  return json;
}
