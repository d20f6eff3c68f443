import { createShikiTokenizer } from '@/components/chat/markdown/shiki-highlighter';
import type { HighlightJob, HighlightReply } from '@/components/chat/markdown/code-highlighter';

/** The worker that colours code blocks for the page (see code-highlighter.ts): one job in, one reply out. */
const tokenize = createShikiTokenizer(['github-light', 'github-dark']);

self.onmessage = ({ data: job }: MessageEvent<HighlightJob>) => {
  const reply = (message: HighlightReply) => self.postMessage(message);
  tokenize(job.options).then(
    (result) => reply({ key: job.key, result }),
    (error: unknown) => reply({ key: job.key, error: error instanceof Error ? error.message : String(error) }),
  );
};
