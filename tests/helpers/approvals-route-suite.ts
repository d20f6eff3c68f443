import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStore, type Store } from '@/lib/store';
import { getConfig } from '@/lib/config';
import type { RunLog } from '@/lib/runs/log';
import type { ChatMessage } from '@/lib/chat/types';
import { jsonRequest, params, plainRequest, userMessage } from '@/tests/helpers/requests';
import { parseChunks, type Chunk } from '@/tests/helpers/sse';
import { loadRoutes, type Routes } from '@/tests/helpers/routes';

type ToolPartView = {
  type: string;
  toolCallId: string;
  state: string;
  input?: { path?: string; content?: string };
  output?: unknown;
  approval?: { id: string; approved?: boolean; reason?: string; signature?: string };
};
type Saved = ChatMessage & { parentId: string | null };

/**
 * The tool approval routes against the real store and run log of `backend` (the test file sets its
 * environment: a temporary workspace, the offline model at full speed). `secondInstance` runs its
 * callback as another server instance would: its own store connection and, on Redis, its own run
 * log connections; on one machine's memory log, the same log (there is only one).
 */
export function describeApprovalRoutes(backend: string, options: { sharedRunLog: boolean }): void {
  let routes: Routes;
  beforeAll(async () => {
    routes = await loadRoutes();
  });

  const MODEL = 'offline:maestro';
  const workspaceFile = (name: string) => path.join(getConfig().workspaceDir, name);

  const send = (chatId: string, text: string, identity?: string) =>
    routes.messages.POST(
      jsonRequest(`/api/chats/${chatId}/messages`, { ...userMessage(text), model: MODEL }, { identity }),
      params({ id: chatId }),
    );

  const answer = (chatId: string, body: Record<string, unknown>, identity?: string) =>
    routes.approvals.POST(jsonRequest(`/api/chats/${chatId}/approvals`, body, { identity }), params({ id: chatId }));

  async function saved(chatId: string): Promise<Saved[]> {
    const response = await routes.chat.GET(plainRequest(`/api/chats/${chatId}`), params({ id: chatId }));
    return ((await response.json()) as { messages: Saved[] }).messages;
  }

  const toolParts = (message: ChatMessage | undefined): ToolPartView[] =>
    (message?.parts ?? []).filter((part) => part.type.startsWith('tool-')) as unknown as ToolPartView[];
  const textOf = (message: ChatMessage | undefined) =>
    (message?.parts ?? []).flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const phases = (chunks: Chunk[]) => chunks.filter((c) => c.type === 'data-status').map((c) => c.data as { phase: string; label: string });

  /** Asks for a file to be written; returns the waiting request as saved. */
  async function askToWrite(chatId: string, file: string, content = 'Hello, Maestro') {
    const response = await send(chatId, `Create a file ${file} containing ${content}`);
    expect(response.status).toBe(200);
    const { chunks, done } = parseChunks(await response.text());
    const messages = await saved(chatId);
    const assistant = messages.at(-1)!;
    const [part] = toolParts(assistant);
    return { chunks, done, messages, assistant, part: part!, approvalId: part!.approval!.id };
  }

  // A second instance's connections stay open until the suite ends: a request of the first
  // instance racing it can pick them up while they are in place, and must not find them closed.
  const secondInstances: Array<{ store: Promise<Store> | undefined; log: RunLog | undefined }> = [];
  afterAll(async () => {
    for (const { store, log } of secondInstances.splice(0)) {
      await (await store?.catch(() => undefined))?.close();
      await log?.close();
    }
  });

  async function onSecondInstance<T>(work: () => Promise<T>): Promise<T> {
    const g = globalThis as Record<string | symbol, unknown>;
    const storeKey = Symbol.for('maestro.store');
    const first = { store: g[storeKey], log: g.__maestroRunLog };
    delete g[storeKey];
    if (!options.sharedRunLog) delete g.__maestroRunLog;
    try {
      return await work();
    } finally {
      secondInstances.push({
        store: g[storeKey] as Promise<Store> | undefined,
        log: options.sharedRunLog ? undefined : (g.__maestroRunLog as RunLog | undefined),
      });
      g[storeKey] = first.store;
      g.__maestroRunLog = first.log;
    }
  }

  describe(`tool approval (${backend})`, () => {
    it('a write waits for approval: the run ends awaiting_approval with [DONE], and the answer is saved as it stands', async () => {
      const { chunks, done, messages, part } = await askToWrite('ask-chat', 'ask.txt');
      expect(done).toBe(true);
      const request = chunks.find((c) => c.type === 'tool-approval-request');
      expect(request).toMatchObject({ toolCallId: part.toolCallId, signature: expect.any(String) });
      expect(phases(chunks).at(-1)).toMatchObject({ phase: 'awaiting_approval', label: 'Waiting for your approval: write_file…' });
      expect(chunks.find((c) => c.type === 'data-file-preview')?.data).toMatchObject({ path: 'ask.txt', previous: null });
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(part).toMatchObject({
        type: 'tool-write_file',
        state: 'approval-requested',
        input: { path: 'ask.txt', content: 'Hello, Maestro' },
      });
      expect(existsSync(workspaceFile('ask.txt'))).toBe(false);
      const run = (await (await routes.run.GET(plainRequest('/api/chats/ask-chat/run'), params({ id: 'ask-chat' }))).json()) as {
        run: unknown;
      };
      expect(run.run).toBeNull();
    });

    it('approved: the tool runs and the same answer goes on, on the same branch', async () => {
      const { assistant, approvalId } = await askToWrite('approve-chat', 'approved.txt');
      const response = await answer('approve-chat', { approvalId, approved: true });
      expect(response.status).toBe(200);
      const { chunks, done } = parseChunks(await response.text());
      expect(done).toBe(true);
      expect(chunks.find((c) => c.type === 'start')?.messageId).toBe(assistant.id);
      expect(chunks.some((c) => c.type === 'tool-output-available')).toBe(true);
      expect(phases(chunks).at(-1)?.phase).toBe('done');
      expect(readFileSync(workspaceFile('approved.txt'), 'utf8')).toBe('Hello, Maestro');

      const messages = await saved('approve-chat');
      expect(messages.map((m) => m.id)).toEqual([messages[0]!.id, assistant.id]);
      expect(toolParts(messages[1])[0]).toMatchObject({ state: 'output-available', output: { path: 'approved.txt', created: true } });
      expect(textOf(messages[1])).toContain('approved.txt');
      expect(messages[1]!.metadata?.outcome).toBe('complete');
    });

    it('denied with a reason: the tool never runs, its part is output-denied and the answer gives the reason', async () => {
      const { approvalId } = await askToWrite('deny-chat', 'denied.txt');
      const response = await answer('deny-chat', { approvalId, approved: false, reason: 'not in this folder' });
      expect(response.status).toBe(200);
      const { chunks } = parseChunks(await response.text());
      expect(chunks.some((c) => c.type === 'tool-output-denied')).toBe(true);
      const [, reply] = await saved('deny-chat');
      expect(toolParts(reply)[0]).toMatchObject({ state: 'output-denied', approval: { approved: false, reason: 'not in this folder' } });
      expect(textOf(reply)).toContain('I did not run the `write_file` tool');
      expect(textOf(reply)).toContain('not in this folder');
      expect(existsSync(workspaceFile('denied.txt'))).toBe(false);
    });

    it('"always allow in this chat" is remembered: the next write in that chat runs without asking, not in another chat', async () => {
      const { approvalId } = await askToWrite('always-chat', 'always-1.txt');
      await (await answer('always-chat', { approvalId, approved: true, alwaysAllow: true })).text();
      expect(await (await getStore()).listAllowedTools('always-chat')).toEqual(['write_file']);

      const next = await send('always-chat', 'Create a file always-2.txt containing again');
      const { chunks } = parseChunks(await next.text());
      expect(chunks.some((c) => c.type === 'tool-approval-request')).toBe(false);
      expect(readFileSync(workspaceFile('always-2.txt'), 'utf8')).toBe('again');

      const other = await askToWrite('not-always-chat', 'always-3.txt');
      expect(other.part.state).toBe('approval-requested');
    });

    it('answers from a second instance: the same answer goes on there, and the first instance reads it saved', async () => {
      const { approvalId, assistant } = await askToWrite('second-chat', 'second.txt');
      const body = await onSecondInstance(async () => {
        const response = await answer('second-chat', { approvalId, approved: true });
        expect(response.status).toBe(200);
        return response.text();
      });
      expect(parseChunks(body).chunks.some((c) => c.type === 'tool-output-available')).toBe(true);
      expect(readFileSync(workspaceFile('second.txt'), 'utf8')).toBe('Hello, Maestro');
      const [, reply] = await saved('second-chat');
      expect(reply!.id).toBe(assistant.id);
      expect(toolParts(reply)[0]?.state).toBe('output-available');
    });

    it('two answers racing: exactly one wins, the other gets 409, and the tool runs once', async () => {
      const { approvalId } = await askToWrite('race-chat', 'race.txt');
      const [a, b] = await Promise.all([
        answer('race-chat', { approvalId, approved: true }),
        onSecondInstance(async () => {
          const response = await answer('race-chat', { approvalId, approved: false, reason: 'no' });
          return { status: response.status, body: await response.text() };
        }),
      ]);
      const aBody = await a.text();
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const [, reply] = await saved('race-chat');
      const state = toolParts(reply)[0]?.state;
      // Whichever won decided: approved wrote the file, denied did not.
      if (a.status === 200) {
        expect(state).toBe('output-available');
        expect(existsSync(workspaceFile('race.txt'))).toBe(true);
        expect(JSON.parse(b.body)).toMatchObject({ error: { code: expect.stringMatching(/^(run_active|approval_answered)$/) } });
      } else {
        expect(state).toBe('output-denied');
        expect(existsSync(workspaceFile('race.txt'))).toBe(false);
        expect(JSON.parse(aBody)).toMatchObject({ error: { code: expect.stringMatching(/^(run_active|approval_answered)$/) } });
      }
      // A late answer, once the first is done, is refused too.
      const late = await answer('race-chat', { approvalId, approved: true });
      expect(late.status).toBe(409);
    });

    it('refuses a forged approval id, a tampered input or call id, and a signature replayed on another call (400): the tool never runs', async () => {
      const store = await getStore();
      const forged = await answer('forge-chat', { approvalId: 'made-up', approved: true });
      expect(forged.status).toBe(404);

      const { approvalId, assistant } = await askToWrite('forge-chat', 'forged.txt');
      expect((await answer('forge-chat', { approvalId: 'made-up', approved: true })).status).toBe(400);

      const tamper = async (change: (part: ToolPartView) => void) => {
        const message = structuredClone(assistant);
        change(toolParts(message)[0]!);
        await store.saveMessage('forge-chat', message);
      };
      // Another input under the same signature: another file, other content.
      await tamper((part) => {
        part.input = { path: 'elsewhere.txt', content: 'pwned' };
      });
      const altered = await answer('forge-chat', { approvalId, approved: true });
      expect(altered.status).toBe(400);
      expect(((await altered.json()) as { error: { code: string } }).error.code).toBe('invalid_approval');
      // Another call id.
      await tamper((part) => {
        part.toolCallId = 'call_other';
      });
      expect((await answer('forge-chat', { approvalId, approved: true })).status).toBe(400);
      // No signature at all.
      await tamper((part) => {
        delete part.approval!.signature;
      });
      expect((await answer('forge-chat', { approvalId, approved: true })).status).toBe(400);

      // A valid signature from another call (another chat's request), replayed on this one.
      const other = await askToWrite('forge-source-chat', 'source.txt');
      await tamper((part) => {
        part.approval = { id: other.approvalId, signature: other.part.approval!.signature };
      });
      expect((await answer('forge-chat', { approvalId: other.approvalId, approved: true })).status).toBe(400);

      expect(existsSync(workspaceFile('forged.txt'))).toBe(false);
      expect(existsSync(workspaceFile('elsewhere.txt'))).toBe(false);
      expect(existsSync(workspaceFile('source.txt'))).toBe(false);
      const run = (await (await routes.run.GET(plainRequest('/api/chats/forge-chat/run'), params({ id: 'forge-chat' }))).json()) as {
        run: unknown;
      };
      expect(run.run).toBeNull();
    });

    it("another identity's answer gets 404, and nothing runs", async () => {
      const { approvalId } = await askToWrite('owned-chat', 'owned.txt');
      const response = await answer('owned-chat', { approvalId, approved: true }, 'someone-else');
      expect(response.status).toBe(404);
      expect(existsSync(workspaceFile('owned.txt'))).toBe(false);
      expect(toolParts((await saved('owned-chat')).at(-1))[0]?.state).toBe('approval-requested');
    });

    it('refuses a bad body (400) and keeps the request waiting', async () => {
      const { approvalId } = await askToWrite('bad-body-chat', 'bad.txt');
      for (const body of [
        { approvalId },
        { approvalId, approved: 'yes' },
        { approvalId, approved: false, alwaysAllow: true },
        { approvalId, approved: true, extra: 1 },
      ]) {
        expect((await answer('bad-body-chat', body)).status).toBe(400);
      }
      expect(toolParts((await saved('bad-body-chat')).at(-1))[0]?.state).toBe('approval-requested');
    });

    it('a new message while a request waits leaves it unanswered, as denied; answering it afterwards gets 409', async () => {
      const { approvalId, assistant } = await askToWrite('move-on-chat', 'moved.txt');
      const next = await send('move-on-chat', 'What is 2 + 2?');
      expect(next.status).toBe(200);
      await next.text();
      const messages = await saved('move-on-chat');
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
      expect(messages[1]!.id).toBe(assistant.id);
      expect(toolParts(messages[1])[0]).toMatchObject({ state: 'output-denied', approval: { approved: false } });
      expect(textOf(messages[3])).toContain('4');
      expect((await answer('move-on-chat', { approvalId, approved: true })).status).toBe(409);
      expect(existsSync(workspaceFile('moved.txt'))).toBe(false);
    });
  });
}
