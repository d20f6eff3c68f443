import { describe, expect, it } from 'vitest';
import { isServiceUnavailable } from '@/lib/http/errors';
import { isConnectionError, isNetworkError } from '@/lib/http/network-error';

const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });

describe('isNetworkError', () => {
  it('finds a socket failure anywhere in the cause chain, and in each error of an AggregateError', () => {
    expect(isNetworkError(socketError('ECONNREFUSED'))).toBe(true);
    expect(isNetworkError(new Error('outer', { cause: new Error('middle', { cause: socketError('EHOSTUNREACH') }) }))).toBe(true);
    expect(isNetworkError(new AggregateError([new Error('no'), socketError('ECONNREFUSED')]))).toBe(true);
  });

  it('is false for other failures, and counts what the caller adds', () => {
    expect(isNetworkError(new Error('syntax error at or near "SELEC"'))).toBe(false);
    expect(isNetworkError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isNetworkError('ECONNREFUSED')).toBe(false);
    expect(isNetworkError(new Error('wrapped', { cause: { code: '08006' } }), (inner) => 'code' in inner && inner.code === '08006')).toBe(
      true,
    );
  });

  it('stands under the model and the service classifiers', () => {
    expect(isConnectionError(new TypeError('fetch failed', { cause: socketError('ECONNREFUSED') }))).toBe(true);
    expect(isConnectionError(new Error('The model said no'))).toBe(false);
    expect(isServiceUnavailable(Object.assign(new Error('down'), { name: 'RunLogUnavailableError' }))).toBe(true);
    expect(isServiceUnavailable(new Error('wrapped', { cause: socketError('ENOTFOUND') }))).toBe(true);
    expect(isServiceUnavailable(new Error('a bug'))).toBe(false);
  });
});
