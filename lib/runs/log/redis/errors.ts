/** A run log operation failed because Redis cannot be reached (or cannot serve): answer 503. */
export class RunLogUnavailableError extends Error {
  readonly code = 'RUN_LOG_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunLogUnavailableError';
  }
}

export function isRunLogUnavailable(error: unknown): error is RunLogUnavailableError {
  return error instanceof RunLogUnavailableError || (error instanceof Error && error.name === 'RunLogUnavailableError');
}

/** Replies from a server that is up but cannot serve now: as good as down for the caller. */
const UNAVAILABLE_REPLY = /^(LOADING|OOM|READONLY|MISCONF|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN|NOAUTH|WRONGPASS|NOPERM)\b/;

/**
 * A failed Redis operation as the run log reports it: a reply error of the command itself stays
 * what it is; anything else (no connection, a timeout, a server that cannot serve) is unavailable.
 * Redis replies carry their kind only as the first word of the message, hence the pattern.
 */
export function toRunLogError(error: unknown): Error {
  if (isRunLogUnavailable(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'ReplyError' && !UNAVAILABLE_REPLY.test(message)) return error;
  return new RunLogUnavailableError(`The run log (Redis) is unavailable: ${message}`, { cause: error });
}
