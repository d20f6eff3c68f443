import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createUIMessageStreamResponse, isStepCount, streamText, toUIMessageStream } from 'ai';
import { createOfflineModel } from '@/lib/models/offline';
import { tools } from '@/lib/tools';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// The network provider of the benchmark when it gives one (through the same provider package as
// Maestro's `local:` models), else Maestro's offline model.
const providerUrl = process.env.BENCH_PROVIDER_URL;
const model = providerUrl
  ? createOpenAICompatible({ name: 'local', baseURL: providerUrl, includeUsage: true })('bench')
  : createOfflineModel({ delayMs: Number(process.env.MAESTRO_OFFLINE_DELAY_MS ?? 0) });
const { fetch_url: _fetchUrl, ...offered } = tools;

type Body = { message: { parts: Array<{ type: 'text'; text: string }> } };

/** The plain route: `streamText` with Maestro's model and tools, piped to the UI message stream. */
export async function POST(request: Request) {
  const { message } = (await request.json()) as Body;
  const text = message.parts.map((part) => part.text).join('\n');
  const result = streamText({ model, tools: offered, stopWhen: isStepCount(8), messages: [{ role: 'user', content: text }] });
  return createUIMessageStreamResponse({ stream: toUIMessageStream({ stream: result.stream }) });
}
