// The wire protocol between server, browser, tests and benchmarks: SSE framing, headers, run-log
// positions and API paths. No framework imports, so that every side (plain Node included) can load it.
export * from './headers.ts';
export * from './paths.ts';
export * from './positions.ts';
export * from './sse.ts';
