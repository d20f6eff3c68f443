import path from 'node:path';
import { z } from 'zod';

/** Every environment variable Maestro reads, parsed once. Documented in README.md and .env.example. */
const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const integer = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((value) => value === 'true' || value === '1');

/** What happens when the model calls a tool (see lib/tools/policy.ts). */
export const toolApprovalSchema = z.enum(['auto', 'ask', 'deny']);

/**
 * MAESTRO_TOOL_APPROVAL: a JSON object of tool name → policy, e.g. `{"fetch_url":"auto"}`.
 * Unset or empty: no overrides.
 */
const toolApprovalOverrides = z
  .string()
  .trim()
  .default('')
  .transform((text, context) => {
    if (text === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON object, e.g. {"fetch_url":"auto"}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/), toolApprovalSchema, {
      error: 'must be a JSON object of tool name → "auto" | "ask" | "deny"',
    }),
  );

const envSchema = z.object({
  MAESTRO_DATA_DIR: z.string().default('./.data'),
  MAESTRO_WORKSPACE_DIR: z.string().default('./workspace'),
  MAESTRO_OFFLINE_DELAY_MS: integer(30),
  MAESTRO_DEFAULT_MODEL: optionalString,
  MAESTRO_MAX_STEPS: integer(8, 1),
  MAESTRO_RUN_TIMEOUT_MS: integer(120_000, 1_000),
  MAESTRO_MAX_BODY_BYTES: integer(64 * 1024, 1_024),
  MAESTRO_MAX_MESSAGE_CHARS: integer(16_000, 1),
  MAESTRO_READ_FILE_MAX_BYTES: integer(64 * 1024, 1),
  MAESTRO_WRITE_FILE_MAX_BYTES: integer(256 * 1024, 1),
  MAESTRO_TOOL_APPROVAL: toolApprovalOverrides,
  DATABASE_URL: optionalString,
  REDIS_URL: optionalString,
  MAESTRO_RUN_LOG: z
    .enum(['sqlite', 'memory', ''])
    .default('')
    .transform((value) => value || 'sqlite'),
  AUTH_SECRET: optionalString,
  MAESTRO_RUN_LOG_MAX_ENTRIES: integer(20_000, 100),
  MAESTRO_RUN_LOG_TTL_MS: integer(10 * 60_000, 1_000),
  MAESTRO_RUN_LEASE_MS: integer(10_000, 1_000),
  MAESTRO_RATE_LIMIT_PER_MINUTE: integer(30),
  MAESTRO_MAX_OUTPUT_TOKENS: integer(4_096, 1),
  MAESTRO_TOOL_TIMEOUT_MS: integer(30_000, 100),
  MAESTRO_CHUNK_TIMEOUT_MS: integer(30_000, 100),
  MAESTRO_MODEL_RETRIES: integer(2),
  MAESTRO_KEEPALIVE_MS: integer(15_000, 100),
  MAESTRO_STREAM_COALESCE_MS: integer(100),
  MAESTRO_FETCH_URL_ENABLED: flag,
  MAESTRO_FETCH_URL_MAX_BYTES: integer(1_000_000, 1_024),
  MAESTRO_FETCH_URL_TIMEOUT_MS: integer(10_000, 100),
  MAESTRO_ALLOW_IMAGES: flag,
  MAESTRO_MCP_CONFIG: optionalString,
  MAESTRO_MCP_ALLOW_PRIVATE: flag,
  MAESTRO_FRAME_TIMES: flag,
  MAESTRO_HEAP_GROWTH_PERCENT: integer(50),
  GOOGLE_GENERATIVE_AI_API_KEY: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  OPENAI_COMPATIBLE_BASE_URL: optionalString,
  OPENAI_COMPATIBLE_MODEL: optionalString,
  OPENAI_COMPATIBLE_API_KEY: optionalString,
});

export type Config = {
  dataDir: string;
  workspaceDir: string;
  offlineDelayMs: number;
  defaultModel: string | undefined;
  maxSteps: number;
  runTimeoutMs: number;
  maxBodyBytes: number;
  maxMessageChars: number;
  readFileMaxBytes: number;
  /** Largest content `write_file` writes, in bytes (UTF-8). */
  writeFileMaxBytes: number;
  /** Per-tool approval policies that replace the defaults (MAESTRO_TOOL_APPROVAL). */
  toolApproval: Readonly<Record<string, 'auto' | 'ask' | 'deny'>>;
  /** Postgres connection string; SQLite under dataDir when unset. */
  databaseUrl: string | undefined;
  /** Redis connection string; the run log is on this machine when unset. */
  redisUrl: string | undefined;
  /** The run log on one machine (no Redis): kept in a SQLite file beside the store's, or in memory only (tests). */
  runLog: 'sqlite' | 'memory';
  /** Secret that signs identity cookies; generated into dataDir when unset. */
  authSecret: string | undefined;
  /** Most entries one run's log keeps (Redis XADD MAXLEN). */
  runLogMaxEntries: number;
  /** How long a run's log stays readable after the run ended. */
  runLogTtlMs: number;
  /** A producer's lease on its run; a run whose lease lapses ends `interrupted`. */
  runLeaseMs: number;
  /** Runs one identity may start per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  maxOutputTokens: number;
  /** Longest one tool call may take before it fails (the agent continues). */
  toolTimeoutMs: number;
  /** Longest the model may stay silent mid-answer before the run fails. */
  chunkTimeoutMs: number;
  /** Retries of a transient provider error (429, 5xx, connection), with backoff. */
  modelRetries: number;
  /** A comment is sent on a stream that was quiet this long, so proxies keep it open. */
  keepAliveMs: number;
  /** Text deltas within this window go out as one (0: every delta as the model sent it). */
  streamCoalesceMs: number;
  fetchUrl: { enabled: boolean; maxBytes: number; timeoutMs: number };
  /** Whether answers may show images (http(s) only); off by default. */
  allowImages: boolean;
  /**
   * MCP servers: the configuration file (`MAESTRO_MCP_CONFIG`, else `./mcp.json` if present), and
   * whether URL servers may be on private addresses (off: the same address policy as fetch_url).
   */
  mcp: { configPath: string | undefined; allowPrivate: boolean };
  /** Whether each SSE frame carries a `: at <ms>` comment, the time it entered the run log (for measuring delivery lag). */
  frameTimes: boolean;
  /** How far V8 lets the heap grow past what the last full collection kept, in percent (0: V8's own choice). */
  heapGrowthPercent: number;
  googleApiKey: string | undefined;
  openaiApiKey: string | undefined;
  openaiBaseUrl: string | undefined;
  local: { baseUrl: string; model: string; apiKey: string | undefined } | undefined;
};

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    dataDir: path.resolve(e.MAESTRO_DATA_DIR),
    workspaceDir: path.resolve(e.MAESTRO_WORKSPACE_DIR),
    offlineDelayMs: e.MAESTRO_OFFLINE_DELAY_MS,
    defaultModel: e.MAESTRO_DEFAULT_MODEL,
    maxSteps: e.MAESTRO_MAX_STEPS,
    runTimeoutMs: e.MAESTRO_RUN_TIMEOUT_MS,
    maxBodyBytes: e.MAESTRO_MAX_BODY_BYTES,
    maxMessageChars: e.MAESTRO_MAX_MESSAGE_CHARS,
    readFileMaxBytes: e.MAESTRO_READ_FILE_MAX_BYTES,
    writeFileMaxBytes: e.MAESTRO_WRITE_FILE_MAX_BYTES,
    toolApproval: e.MAESTRO_TOOL_APPROVAL,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    runLog: e.MAESTRO_RUN_LOG,
    authSecret: e.AUTH_SECRET,
    runLogMaxEntries: e.MAESTRO_RUN_LOG_MAX_ENTRIES,
    runLogTtlMs: e.MAESTRO_RUN_LOG_TTL_MS,
    runLeaseMs: e.MAESTRO_RUN_LEASE_MS,
    rateLimitPerMinute: e.MAESTRO_RATE_LIMIT_PER_MINUTE,
    maxOutputTokens: e.MAESTRO_MAX_OUTPUT_TOKENS,
    toolTimeoutMs: e.MAESTRO_TOOL_TIMEOUT_MS,
    chunkTimeoutMs: e.MAESTRO_CHUNK_TIMEOUT_MS,
    modelRetries: e.MAESTRO_MODEL_RETRIES,
    keepAliveMs: e.MAESTRO_KEEPALIVE_MS,
    streamCoalesceMs: e.MAESTRO_STREAM_COALESCE_MS,
    fetchUrl: {
      enabled: e.MAESTRO_FETCH_URL_ENABLED,
      maxBytes: e.MAESTRO_FETCH_URL_MAX_BYTES,
      timeoutMs: e.MAESTRO_FETCH_URL_TIMEOUT_MS,
    },
    allowImages: e.MAESTRO_ALLOW_IMAGES,
    mcp: { configPath: e.MAESTRO_MCP_CONFIG, allowPrivate: e.MAESTRO_MCP_ALLOW_PRIVATE },
    frameTimes: e.MAESTRO_FRAME_TIMES,
    heapGrowthPercent: e.MAESTRO_HEAP_GROWTH_PERCENT,
    googleApiKey: e.GOOGLE_GENERATIVE_AI_API_KEY,
    openaiApiKey: e.OPENAI_API_KEY,
    openaiBaseUrl: e.OPENAI_BASE_URL,
    local: e.OPENAI_COMPATIBLE_BASE_URL
      ? {
          baseUrl: e.OPENAI_COMPATIBLE_BASE_URL,
          model: e.OPENAI_COMPATIBLE_MODEL ?? 'llama3.2',
          apiKey: e.OPENAI_COMPATIBLE_API_KEY,
        }
      : undefined,
  };
}

let cached: Config | undefined;

/** The configuration of this process, parsed from `process.env` on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
