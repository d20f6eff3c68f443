import type { OfflineToolName } from '@/lib/models/offline/intent';

/**
 * The long markdown answer the offline model gives to questions it cannot answer with a tool:
 * what it can do and how to connect a hosted or local model. The opening is chosen from the
 * question's topic, so the same question always gets the same answer.
 */

type Topic = { test: RegExp; title: string; opening: string };

const TOPICS: Topic[] = [
  {
    test: /\bstream(s|ing|ed)?\b|\bsse\b|\bword by word\b|\breal[- ]?time\b/i,
    title: 'How Maestro streams answers',
    opening:
      'Maestro streams every answer while it is being written. The server runs the agent and sends its ' +
      'output to your browser as Server-Sent Events in the AI SDK UI message stream format: each piece of ' +
      'text, each tool call and each status change is a separate event, and the page renders it the moment ' +
      'it arrives. A status bubble shows what the agent is doing right now (“Thinking…”, “Using tool: ' +
      'calculator…”), and every tool call gets a card with its input, its progress and its result. The answer ' +
      'you are reading is itself streamed word by word.',
  },
  {
    test: /\btools?\b|\bcalculator\b|\bcapabilit(y|ies)\b|\bwhat can you do\b/i,
    title: 'What Maestro can do',
    opening:
      'Maestro is a chat for an agent that uses tools: instead of guessing, the model calls a tool, reads ' +
      'the result and answers from it. You can watch this happen: each tool call appears as a card in the ' +
      'conversation, with its input, its progress and its output.',
  },
  {
    test: /\bmodels?\b|\bproviders?\b|\bapi[ _-]?keys?\b|\bgemini\b|\bopenai\b|\bgpt\b|\bollama\b|\bllama\b|\bvllm\b/i,
    title: 'Choosing a model in Maestro',
    opening:
      'Maestro works with several model providers and picks the best one you have configured. Without any ' +
      'configuration you talk to the built-in offline model, which needs no key and no network connection.',
  },
  {
    test: /^\s*(hi|hello|hey|hallo|good (morning|afternoon|evening)|greetings)\b/i,
    title: 'Hello from Maestro',
    opening: 'Hello! Welcome to Maestro, a chat with an assistant that can use tools to answer your questions.',
  },
];

const DEFAULT_TOPIC = {
  title: 'About this assistant',
  opening:
    'I can’t answer that question directly: I am Maestro’s built-in offline model, which runs entirely on ' +
    'this server with no network access, so I don’t have general knowledge to draw on. What I can do is use ' +
    'Maestro’s tools, and once a hosted or local model is connected you can ask it anything.',
};

const TOOL_LABELS: Record<OfflineToolName, string> = {
  calculator: 'calculator',
  current_time: 'current time',
  list_files: 'file listing',
  read_file: 'file reading',
  write_file: 'file writing',
};

const BODY = `### What I can do offline

I am the built-in \`offline:maestro\` model. I understand a few kinds of questions and answer them with Maestro’s tools:

- **Arithmetic** with the \`calculator\` tool, which uses a maths library rather than guesswork: *“What is 17 * 23?”*, *“calculate (2+3)^4”* or *“sqrt(144)”*.
- **Dates and times** with \`current_time\`, for any IANA time zone or a well-known city: *“What time is it in Tokyo?”* or *“What’s the date in New York?”*.
- **Browsing the workspace** with \`list_files\`, which lists the shared workspace folder and reports its progress as it scans: *“What files are in the workspace?”*.
- **Reading files** with \`read_file\`, for text files inside the workspace: *“Read notes.md”* or *“Show me the contents of data/weekly-orders.csv”*.
- **Writing files** with \`write_file\`, which waits for your approval and shows the change first: *“Create a file hello.txt containing Hello, Maestro”*.

File access is confined to the workspace folder: absolute paths, \`..\` and links that lead outside it are refused, and large files are cut at a size limit. Every answer I give is deterministic: the same question gets the same answer.

### Connecting a real model

For open-ended questions, connect a hosted or local model. Set one of these variables in \`.env.local\` (or in the server’s environment) and restart Maestro:

| Variable | Model id | Provider |
| --- | --- | --- |
| \`GOOGLE_GENERATIVE_AI_API_KEY\` | \`google:gemini-2.5-flash\` | Google Gemini; becomes the default model |
| \`OPENAI_API_KEY\` | \`openai:<model>\` | OpenAI |
| \`OPENAI_COMPATIBLE_BASE_URL\` + \`OPENAI_COMPATIBLE_MODEL\` | \`local:<model>\` | Ollama, llama.cpp, vLLM or any OpenAI-compatible server |
| *(none)* | \`offline:maestro\` | This built-in model, always available |

For example, to use a model served by Ollama on your machine:

\`\`\`bash
# .env.local
OPENAI_COMPATIBLE_BASE_URL=http://localhost:11434/v1
OPENAI_COMPATIBLE_MODEL=llama3.2
# optional, when the server requires a key
OPENAI_COMPATIBLE_API_KEY=your-key
\`\`\`

The new models then appear in the model picker. \`MAESTRO_DEFAULT_MODEL\` chooses which one a new chat starts with, and \`MAESTRO_OFFLINE_DELAY_MS\` sets how fast this offline model types (milliseconds between words).

### Tips

1. Ask one thing at a time; each question gets its own tool call and its own card.
2. Press **Stop answer** (or Esc) to end an answer early; the part already written is kept.
3. Mention a file by its path relative to the workspace, such as \`plans/launch-checklist.md\`.`;

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The long answer. `unavailableTool` names a tool the question called for but that is not
 * enabled for this conversation.
 */
export function guideAnswer(question: string, unavailableTool?: OfflineToolName): string {
  const topic = TOPICS.find((candidate) => candidate.test.test(oneLine(question))) ?? DEFAULT_TOPIC;
  const sections = [`## ${topic.title}`, topic.opening];
  if (unavailableTool) {
    sections.push(
      `> Your question needs the ${TOOL_LABELS[unavailableTool]} tool (\`${unavailableTool}\`), which is not enabled in this conversation, so I can’t run it here.`,
    );
  }
  sections.push(BODY);
  return sections.join('\n\n');
}
