import { describe, expect, it } from 'vitest';
import { statusLabel, type StreamChunk } from '@/lib/chat/status';
import { StatusTracker, withStatus } from '@/lib/runs/status-stream';

function phasesOf(chunks: StreamChunk[]): string[] {
  let clock = 0;
  const tracker = new StatusTracker(0, () => (clock += 5));
  const phases: string[] = [];
  for (const chunk of chunks) {
    const before = tracker.before(chunk);
    if (before) phases.push(before.phase);
    const after = tracker.after(chunk);
    if (after) phases.push(after.tool ? `${after.phase}:${after.tool.name}` : after.phase);
  }
  return phases;
}

const toolStep: StreamChunk[] = [
  { type: 'start-step' },
  { type: 'tool-input-start', toolCallId: 'c1', toolName: 'calculator' },
  { type: 'tool-input-available', toolCallId: 'c1', toolName: 'calculator', input: { expression: '1+1' } },
  { type: 'tool-output-available', toolCallId: 'c1', output: { result: '2' } },
  { type: 'finish-step' },
];
const textStep: StreamChunk[] = [
  { type: 'start-step' },
  { type: 'text-start', id: 't' },
  { type: 'text-delta', id: 't', delta: 'Two' },
  { type: 'text-delta', id: 't', delta: '.' },
  { type: 'text-end', id: 't' },
  { type: 'finish-step' },
];

describe('status derivation', () => {
  it('goes thinking → tool → thinking → responding → done for a tool-using answer', () => {
    expect(phasesOf([{ type: 'start' }, ...toolStep, ...textStep, { type: 'finish', finishReason: 'stop' }])).toEqual([
      'thinking',
      'tool:calculator',
      'thinking',
      'responding',
      'done',
    ]);
  });

  it('ends awaiting_approval, naming the tool, when a call waits for the user; an automatic approval does not wait', () => {
    const waiting: StreamChunk[] = [
      { type: 'start' },
      { type: 'start-step' },
      { type: 'tool-input-start', toolCallId: 'w1', toolName: 'write_file' },
      { type: 'tool-input-available', toolCallId: 'w1', toolName: 'write_file', input: { path: 'a.txt', content: 'a' } },
      { type: 'tool-approval-request', approvalId: 'a1', toolCallId: 'w1' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'tool-calls' },
    ];
    expect(phasesOf(waiting)).toEqual(['thinking', 'tool:write_file', 'awaiting_approval']);
    const tracker = new StatusTracker(0);
    for (const chunk of waiting.slice(0, -1)) tracker.after(chunk);
    expect(tracker.before({ type: 'finish', finishReason: 'tool-calls' })).toMatchObject({
      phase: 'awaiting_approval',
      label: 'Waiting for your approval: write_file…',
      tool: { name: 'write_file', callId: 'w1' },
    });

    const automatic = waiting.map((chunk) => (chunk.type === 'tool-approval-request' ? { ...chunk, isAutomatic: true } : chunk));
    expect(phasesOf(automatic).at(-1)).toBe('done');
  });

  it('reports each tool call of a step with its own call id', () => {
    const tracker = new StatusTracker(0);
    tracker.after({ type: 'start' });
    tracker.after({ type: 'start-step' });
    const first = tracker.after({ type: 'tool-input-start', toolCallId: 'a', toolName: 'list_files' });
    const second = tracker.after({ type: 'tool-input-start', toolCallId: 'b', toolName: 'read_file' });
    expect(first).toMatchObject({ phase: 'tool', label: 'Using tool: list_files…', tool: { name: 'list_files', callId: 'a' }, step: 1 });
    expect(second).toMatchObject({ phase: 'tool', label: 'Using tool: read_file…', tool: { name: 'read_file', callId: 'b' } });
  });

  it('numbers steps from 1 and measures elapsed time from the run start', () => {
    let now = 1_000;
    const tracker = new StatusTracker(1_000, () => now);
    expect(tracker.after({ type: 'start' })).toMatchObject({ phase: 'thinking', step: 1, elapsedMs: 0 });
    tracker.after({ type: 'start-step' });
    tracker.after({ type: 'tool-input-start', toolCallId: 'a', toolName: 'calculator' });
    now = 1_250;
    expect(tracker.after({ type: 'finish-step' })).toMatchObject({ phase: 'thinking', step: 2, elapsedMs: 250 });
    expect(tracker.after({ type: 'start-step' })).toBeUndefined();
  });

  it('ends with error on a failure and never reports done after it', () => {
    const phases = phasesOf([
      { type: 'start' },
      ...textStep.slice(0, 3),
      { type: 'error', errorText: 'boom' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'error' },
    ]);
    expect(phases).toEqual(['thinking', 'responding', 'error']);
  });

  it('ends stopped on an abort, and error when the time limit made it an error', () => {
    expect(phasesOf([{ type: 'start' }, ...textStep.slice(0, 3), { type: 'abort', reason: 'AbortError: aborted' }])).toEqual([
      'thinking',
      'responding',
      'stopped',
    ]);
    // The answer stream turns a time limit's abort into an error chunk before the status sees it.
    expect(phasesOf([{ type: 'start' }, { type: 'error', errorText: 'The answer took longer than the time limit (2 s).' }])).toEqual([
      'thinking',
      'error',
    ]);
  });

  it('gives the labels the bubble shows', () => {
    expect(statusLabel('thinking')).toBe('Thinking…');
    expect(statusLabel('tool', 'calculator')).toBe('Using tool: calculator…');
  });

  it('interleaves transient data-status chunks into the stream, done before finish', async () => {
    const source = new ReadableStream<StreamChunk>({
      start(controller) {
        for (const chunk of [{ type: 'start' } as const, ...textStep, { type: 'finish' } as const]) controller.enqueue(chunk);
        controller.close();
      },
    });
    const out: StreamChunk[] = [];
    for await (const chunk of source.pipeThrough(withStatus(Date.now()))) out.push(chunk);
    const types = out.map((c) => (c.type === 'data-status' ? `status:${c.data.phase}` : c.type));
    expect(types.slice(0, 3)).toEqual(['start', 'status:thinking', 'start-step']);
    expect(types.slice(-2)).toEqual(['status:done', 'finish']);
    expect(out.filter((c) => c.type === 'data-status').every((c) => c.type === 'data-status' && c.transient === true)).toBe(true);
  });

  it('labels retries with their count, each one its own status', () => {
    expect(statusLabel('retrying', undefined, { attempt: 1, of: 2 })).toBe('Retrying (1/2)…');
    const tracker = new StatusTracker(0);
    tracker.after({ type: 'start' });
    expect(tracker.retrying({ attempt: 1, of: 2 })).toMatchObject({ phase: 'retrying', label: 'Retrying (1/2)…', step: 1 });
    expect(tracker.retrying({ attempt: 2, of: 2 })).toMatchObject({ phase: 'retrying', label: 'Retrying (2/2)…', step: 1 });
    // The retried call then streams: back to thinking, then responding.
    expect(tracker.after({ type: 'start-step' })).toMatchObject({ phase: 'thinking', step: 1 });
    expect(tracker.after({ type: 'text-start', id: 't' })).toMatchObject({ phase: 'responding' });
  });

  it('reports a retry of a later step under that step, and never after the end', () => {
    const tracker = new StatusTracker(0);
    for (const chunk of [{ type: 'start' } as const, ...toolStep]) tracker.after(chunk);
    expect(tracker.retrying({ attempt: 1, of: 3 })).toMatchObject({ phase: 'retrying', step: 2 });
    tracker.after({ type: 'error', errorText: 'gave up' });
    expect(tracker.retrying({ attempt: 2, of: 3 })).toBeUndefined();
  });

  it('sends a reported retry into the stream as it happens', async () => {
    const status = withStatus(Date.now());
    const writer = status.writable.getWriter();
    const out: StreamChunk[] = [];
    const reading = (async () => {
      for await (const chunk of status.readable) out.push(chunk);
    })();
    await writer.write({ type: 'start' });
    status.retrying({ attempt: 1, of: 2 });
    await writer.write({ type: 'start-step' });
    await writer.close();
    await reading;
    const labels = out.flatMap((c) => (c.type === 'data-status' ? [c.data.label] : []));
    expect(labels).toEqual(['Thinking…', 'Retrying (1/2)…', 'Thinking…']);
    // Once the stream is over, a late report is dropped quietly.
    expect(() => status.retrying({ attempt: 2, of: 2 })).not.toThrow();
  });
});
