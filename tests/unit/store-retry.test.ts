import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '@/lib/store';
import { retryWhileUnavailable } from '@/lib/store/retry';

describe('retryWhileUnavailable', () => {
  it('tries again while the store is unavailable, then returns the result', async () => {
    let calls = 0;
    const result = await retryWhileUnavailable(
      async () => {
        calls += 1;
        if (calls < 3) throw new StoreUnavailableError('Postgres is unavailable: timeout exceeded when trying to connect');
        return 'saved';
      },
      { initialDelayMs: 1 },
    );
    expect(result).toBe('saved');
    expect(calls).toBe(3);
  });

  it('does not retry other errors, and gives up after the last attempt', async () => {
    let calls = 0;
    const other = retryWhileUnavailable(async () => {
      calls += 1;
      throw new Error('constraint violated');
    });
    await expect(other).rejects.toThrow('constraint violated');
    expect(calls).toBe(1);

    calls = 0;
    const down = retryWhileUnavailable(
      async () => {
        calls += 1;
        throw new StoreUnavailableError('down');
      },
      { attempts: 3, initialDelayMs: 1 },
    );
    await expect(down).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(calls).toBe(3);
  });
});
