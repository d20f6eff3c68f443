// The HTTP headers of Maestro's run streams. Self-contained (no imports) for plain-Node scripts.

/** Sent with every run stream: how often a quiet stream carries a keep-alive comment (ms). */
export const KEEP_ALIVE_HEADER = 'x-keep-alive-ms';

/** Sent with every run stream: the id of the run it follows. */
export const RUN_ID_HEADER = 'x-run-id';

/** Sent by a client re-attaching to a run: the position of the last frame it received. */
export const LAST_EVENT_ID_HEADER = 'last-event-id';
