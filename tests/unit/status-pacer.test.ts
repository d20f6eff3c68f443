import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { statusLabel } from '@/lib/chat/status';
import type { Status, StatusPhase } from '@/lib/chat/types';
import { StatusPacer } from '@/components/chat/session/use-run-status';

function status(phase: StatusPhase, tool?: string): Status {
  return {
    phase,
    label: statusLabel(phase, tool),
    step: 1,
    elapsedMs: 0,
    ...(tool ? { tool: { name: tool, callId: `call-${tool}` } } : {}),
  };
}

/** A pacer on fake timers, and the labels it has shown, in order. */
function pacer(dwellMs = 250) {
  const shown: Array<string | null> = [];
  const paced = new StatusPacer(
    (next) => shown.push(next?.label ?? null),
    dwellMs,
    () => Date.now(),
  );
  return { paced, shown, current: () => shown.at(-1) };
}

describe('status pacing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a bridging status up for its dwell before the next bridging one', () => {
    const { paced, current } = pacer();
    paced.push(status('thinking'));
    vi.advanceTimersByTime(15);
    paced.push(status('responding'));
    expect(current()).toBe('Thinking…');
    vi.advanceTimersByTime(234);
    expect(current()).toBe('Thinking…');
    vi.advanceTimersByTime(1);
    expect(current()).toBe('Responding…');
  });

  it('shows a tool status the moment it arrives, and leaves it the moment the next status arrives', () => {
    const { paced, shown, current } = pacer();
    paced.push(status('thinking'));
    vi.advanceTimersByTime(15);
    paced.push(status('tool', 'calculator'));
    expect(current()).toBe('Using tool: calculator…');
    // The tool returned after 20 ms: the next status (sent after its output) replaces it at once,
    // while the card shows the result.
    vi.advanceTimersByTime(20);
    paced.push(status('thinking'));
    expect(current()).toBe('Thinking…');
    expect(shown).toEqual(['Thinking…', 'Using tool: calculator…', 'Thinking…']);
  });

  it('shows each of several tool calls as it starts', () => {
    const { paced, shown } = pacer();
    paced.push(status('tool', 'list_files'));
    paced.push(status('tool', 'read_file'));
    expect(shown).toEqual(['Using tool: list_files…', 'Using tool: read_file…']);
  });

  it('keeps only the newest waiting bridging status, and none that the bubble already says', () => {
    const { paced, shown } = pacer();
    paced.push(status('thinking'));
    paced.push(status('retrying'));
    paced.push(status('responding'));
    vi.advanceTimersByTime(1_000);
    expect(shown).toEqual(['Thinking…', 'Responding…']);

    const again = pacer();
    again.paced.push(status('thinking'));
    again.paced.push(status('responding'));
    again.paced.push(status('thinking'));
    vi.advanceTimersByTime(1_000);
    expect(again.shown).toEqual(['Thinking…']);
  });

  it('shows a terminal status at once and drops what waited', () => {
    const { paced, shown } = pacer();
    paced.push(status('thinking'));
    paced.push(status('responding'));
    paced.push(status('done'));
    vi.advanceTimersByTime(1_000);
    expect(shown).toEqual(['Thinking…', 'Done']);
  });
});
