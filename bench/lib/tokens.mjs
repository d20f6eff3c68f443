// A lean client for answers from the network provider (bench/baselines/provider-server.mjs), read
// straight from it or through any server in between: finds the provider's tokens
// (` <index>@<send ms>`) in whatever framing carries them, so the same client measures every
// scenario. Per token it gives the delivery lag (received − sent); per stream, the first byte, the
// first status (Maestro's `data-status`) and whether every token came once, in order.
import http from 'node:http';
import { DONE_LINE } from '../../lib/wire/index.ts';
import { wallNow } from './sse.mjs';

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const TOKEN = /(\d+)@(\d{13})/g;

/**
 * Sends the request and reads the answer to its end. `onToken(lagMs)` is called for every token.
 * Resolves to { status, firstByteMs, firstStatusMs, firstTokenMs, totalMs, tokens, missing,
 * repeated, text, done, body? }; `text` (the tokens' indexes, in order) only when `keepText`.
 */
export function readTokens(url, { body, headers = {}, onToken, keepText = false }) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const result = {
        status: response.statusCode,
        firstByteMs: undefined,
        firstStatusMs: undefined,
        firstTokenMs: undefined,
        totalMs: undefined,
        tokens: 0,
        missing: 0,
        repeated: 0,
        done: false,
        text: keepText ? [] : undefined,
      };
      response.setEncoding('utf8');
      let carry = '';
      let expected = 0;
      response.on('data', (chunk) => {
        const receivedAt = wallNow();
        result.firstByteMs ??= performance.now() - started;
        // Whole lines only: a token split between two reads is read with the rest of its line.
        const text = carry + chunk;
        const end = text.lastIndexOf('\n') + 1;
        carry = text.slice(end);
        const lines = text.slice(0, end);
        if (result.firstStatusMs === undefined && lines.includes('"type":"data-status"'))
          result.firstStatusMs = performance.now() - started;
        for (const match of lines.matchAll(TOKEN)) {
          const index = Number(match[1]);
          result.firstTokenMs ??= performance.now() - started;
          if (index < expected) result.repeated += 1;
          else result.missing += index - expected;
          expected = Math.max(expected, index + 1);
          result.tokens += 1;
          result.text?.push(index);
          onToken?.(receivedAt - Number(match[2]));
        }
        if (lines.includes(DONE_LINE)) result.done = true;
        if (response.statusCode !== 200) result.body = (result.body ?? '') + chunk;
      });
      response.on('end', () => resolve({ ...result, expected, totalMs: performance.now() - started }));
      response.on('error', reject);
    });
    request.end(body);
  });
}

/** The token indexes in a saved answer's text, in order. */
export const tokenIndexes = (text) => Array.from(text.matchAll(TOKEN), (match) => Number(match[1]));
