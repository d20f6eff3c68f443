// A lean SSE client for the benchmarks (node:http, so that the client costs little next to the
// server under test): sends a chat message or follows a run, and records when each frame arrived.
import http from 'node:http';
import { chatPath, DONE_DATA, DONE_LINE, frameTime, SseParser } from '../../lib/wire/index.ts';

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** Wall-clock ms with sub-ms precision, comparable with the server's `Date.now()` (same machine). */
export const wallNow = () => performance.timeOrigin + performance.now();

/** A fresh identity cookie from the server (a page gives one). */
export async function identity(baseUrl) {
  const response = await fetch(`${baseUrl}/`);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('the server gave no identity cookie');
  return cookie;
}

export const messageBody = (text) => JSON.stringify({ message: { role: 'user', parts: [{ type: 'text', text }] } });

/**
 * Makes a request whose answer is an SSE stream and reads it to the end. Per frame, `onFrame` gets
 * { id, at, data, receivedAt } (`at`: the server's `: at` comment, when MAESTRO_FRAME_TIMES is on).
 * Resolves to { status, headersMs, firstByteMs, firstStatusMs, totalMs, frames (if keepFrames), done, body? }.
 */
export function streamRequest(url, { method = 'GET', body, headers = {}, onFrame, keepFrames = true } = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method,
      agent,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const result = {
        status: response.statusCode,
        headersMs: performance.now() - started,
        firstByteMs: undefined,
        firstStatusMs: undefined,
        totalMs: undefined,
        frames: [],
        frameCount: 0,
        done: false,
        bytes: 0,
      };
      response.setEncoding('utf8');
      if (response.statusCode !== 200) {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ ...result, body: text, totalMs: performance.now() - started }));
        return;
      }
      const parser = new SseParser();
      // Nothing wants the frames: look only for the first status and the end (a light client).
      const light = !keepFrames && !onFrame;
      let recent = '';
      response.on('data', (chunk) => {
        const receivedAt = wallNow();
        result.firstByteMs ??= performance.now() - started;
        result.bytes += chunk.length;
        if (light) {
          const window = recent + chunk;
          if (result.firstStatusMs === undefined && window.includes('{"type":"data-status"'))
            result.firstStatusMs = performance.now() - started;
          recent = window.slice(-64);
          result.done = recent.trimEnd().endsWith(DONE_LINE);
          return;
        }
        for (const event of parser.push(chunk)) {
          const { id, data } = event;
          if (data === undefined) continue;
          if (result.firstStatusMs === undefined && data.startsWith('{"type":"data-status"'))
            result.firstStatusMs = performance.now() - started;
          if (data === DONE_DATA) result.done = true;
          const frame = { id, at: frameTime(event), data, receivedAt };
          result.frameCount += 1;
          if (keepFrames) result.frames.push(frame);
          onFrame?.(frame);
        }
      });
      response.on('end', () => resolve({ ...result, totalMs: performance.now() - started }));
      response.on('error', reject);
    });
    request.end(body);
  });
}

/** POST /api/chats/{chatId}/messages and read the answer's stream. */
export function sendMessage(baseUrl, chatId, text, options = {}) {
  return streamRequest(`${baseUrl}${chatPath(chatId)}/messages`, {
    ...options,
    method: 'POST',
    body: messageBody(text),
    headers: { ...options.headers },
  });
}

/**
 * What a UI message stream says: its text, tool outputs and whether it is well-formed (starts
 * with `start`, ends with `finish` then [DONE], every text delta inside a text block).
 */
export function readAnswer(frames) {
  const problems = [];
  const chunks = [];
  for (const frame of frames) {
    if (frame.data === DONE_DATA) continue;
    try {
      chunks.push(JSON.parse(frame.data));
    } catch {
      problems.push(`not JSON: ${frame.data.slice(0, 80)}`);
    }
  }
  if (frames.at(-1)?.data !== DONE_DATA) problems.push('does not end with [DONE]');
  if (chunks[0]?.type !== 'start' && chunks.find((chunk) => chunk.type !== 'data-status')?.type !== 'start')
    problems.push('does not begin with start');
  if (!chunks.some((chunk) => chunk.type === 'finish')) problems.push('has no finish');
  const open = new Set();
  let text = '';
  const toolOutputs = [];
  for (const chunk of chunks) {
    if (chunk.type === 'text-start') open.add(chunk.id);
    else if (chunk.type === 'text-end') open.delete(chunk.id);
    else if (chunk.type === 'text-delta') {
      if (!open.has(chunk.id)) problems.push('text delta outside a text block');
      text += chunk.delta;
    } else if (chunk.type === 'tool-output-available') toolOutputs.push(chunk.output);
    else if (chunk.type === 'error') problems.push(`error: ${chunk.errorText}`);
  }
  return { text, toolOutputs, chunkCount: chunks.length, problems };
}

/** The text of the last saved assistant message of a chat. */
export async function savedAnswer(baseUrl, chatId, cookie) {
  const response = await fetch(`${baseUrl}${chatPath(chatId)}`, { headers: { cookie } });
  if (!response.ok) throw new Error(`GET /api/chats/${chatId}: ${response.status}`);
  const { messages } = await response.json();
  const answer = messages.findLast((message) => message.role === 'assistant');
  return (answer?.parts ?? [])
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');
}
