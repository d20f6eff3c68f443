import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getStore } from '@/lib/store';
import { comparePositions, LAST_EVENT_ID_HEADER } from '@/lib/wire';
import { jsonRequest, params, plainRequest, userMessage } from '@/tests/helpers/requests';
import { parseChunks, parseSse, textOfChunks, textOfStream } from '@/tests/helpers/sse';
import { loadRoutes, type Routes } from '@/tests/helpers/routes';
import { sleep } from '@/tests/helpers/sleep';

/** The durable-run route tests; each backend's test file sets its environment, mocks the registry and calls this. */
export function describeRunRoutes(backend: string): void {
  let routes: Routes;
  beforeAll(async () => {
    routes = await loadRoutes();
  });

  type Saved = {
    id: string;
    role: string;
    parts: Array<{ type: string; text?: string }>;
    metadata?: { outcome?: string };
    parentId: string | null;
    siblingIds: string[];
  };

  const send = (chatId: string, text: string, model: string, init: { identity?: string; signal?: AbortSignal } = {}) =>
    routes.messages.POST(jsonRequest(`/api/chats/${chatId}/messages`, { ...userMessage(text), model }, init), params({ id: chatId }));

  async function savedMessages(chatId: string): Promise<Saved[]> {
    const response = await routes.chat.GET(plainRequest(`/api/chats/${chatId}`), params({ id: chatId }));
    return ((await response.json()) as { messages: Saved[] }).messages;
  }

  const textOf = (message: Saved | undefined) =>
    (message?.parts ?? [])
      .filter((p) => p.type === 'text')
      .map((p) => p.text)
      .join('');

  async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await sleep(20);
    }
  }

  /** Reads an SSE body until `predicate` holds for what arrived, then leaves the rest unread. */
  async function readUntil(
    body: ReadableStream<Uint8Array>,
    predicate: (text: string) => boolean,
  ): Promise<{ text: string; reader: ReadableStreamDefaultReader<Uint8Array> }> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!predicate(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return { text, reader };
  }

  const finishedAnswer = (chatId: string) =>
    waitFor(async () => {
      const answer = (await savedMessages(chatId)).find((m) => m.role === 'assistant');
      return answer?.metadata?.outcome ? answer : undefined;
    });

  describe(`durable runs over HTTP (${backend})`, () => {
    it('goes on when the client disconnects, and saves the whole answer', async () => {
      const controller = new AbortController();
      const response = await send('leave-chat', 'Tell me a story', 'test:paced-30-10', { signal: controller.signal });
      const { reader } = await readUntil(response.body!, (text) => text.includes('word2 '));
      controller.abort();
      await reader.cancel();

      const answer = await finishedAnswer('leave-chat');
      expect(answer.metadata?.outcome).toBe('complete');
      expect(textOf(answer)).toBe(Array.from({ length: 30 }, (_, i) => `word${i} `).join(''));
    });

    it('ends a follower whose Last-Event-ID is past the end of the run, rather than keep it waiting', async () => {
      const first = await send('future-chat', 'Tell me a story', 'test:paced-20-10');
      const { text: seen, reader } = await readUntil(first.body!, (text) => text.includes('word2 '));
      await reader.cancel();
      const future = String(Number(parseSse(seen).at(-1)?.id?.split('-')[0]) + 1_000_000);
      const follower = await routes.stream.GET(
        plainRequest('/api/chats/future-chat/stream', { headers: { [LAST_EVENT_ID_HEADER]: future } }),
        params({ id: 'future-chat' }),
      );
      expect(follower.status).toBe(200);
      // The stream closes once the run is over: with nothing (memory: no frame comes after that
      // position) or with the whole run (Redis reads a position ahead of the stream as forged).
      const frames = parseSse(await follower.text());
      if (frames.length > 0) expect(frames.at(-1)?.data).toBe('[DONE]');
      expect((await finishedAnswer('future-chat')).metadata?.outcome).toBe('complete');
    });

    it('re-attaches mid-run: the replay, and a Last-Event-ID resume, equal the saved text exactly', async () => {
      const first = await send('attach-chat', 'Tell me a story', 'test:paced-40-10');
      const { text: seen, reader } = await readUntil(first.body!, (text) => text.includes('word5 '));
      await reader.cancel();
      const lastId = parseSse(seen).at(-1)?.id;
      expect(lastId).toBeDefined();

      const replay = await routes.stream.GET(plainRequest('/api/chats/attach-chat/stream'), params({ id: 'attach-chat' }));
      expect(replay.status).toBe(200);
      const resumed = await routes.stream.GET(
        plainRequest('/api/chats/attach-chat/stream', { headers: { [LAST_EVENT_ID_HEADER]: lastId! } }),
        params({ id: 'attach-chat' }),
      );
      const [replayBody, resumedBody] = await Promise.all([replay.text(), resumed.text()]);
      const saved = textOf(await finishedAnswer('attach-chat'));
      expect(saved).toBe(Array.from({ length: 40 }, (_, i) => `word${i} `).join(''));
      expect(textOfStream(replayBody)).toBe(saved);
      expect(parseChunks(replayBody).done).toBe(true);
      expect(textOfStream(seen) + textOfStream(resumedBody)).toBe(saved);
      // Every frame carries its position, and positions only grow.
      const ids = parseSse(replayBody).map((frame) => frame.id);
      expect(ids.every((id) => id !== undefined)).toBe(true);
      expect(ids.slice(1).every((id, i) => comparePositions(ids[i]!, id!) < 0)).toBe(true);

      const none = await routes.stream.GET(plainRequest('/api/chats/attach-chat/stream'), params({ id: 'attach-chat' }));
      expect(none.status).toBe(204);
    });

    it('a question that cannot be saved ends its run with an error on the stream; the chat takes the next one', async () => {
      const store = await getStore();
      const save = vi.spyOn(store, 'saveMessage').mockRejectedValueOnce(new Error('disk full at /var/secret'));
      try {
        const response = await send('unsaved-chat', 'Lost question', 'test:paced-3-1');
        expect(response.status).toBe(200);
        const body = await response.text();
        const { chunks, done } = parseChunks(body);
        expect(chunks.some((c) => c.type === 'error')).toBe(true);
        expect(chunks.some((c) => c.type === 'text-delta')).toBe(false);
        expect(done).toBe(true);
        expect(body).not.toContain('/var/secret');
      } finally {
        save.mockRestore();
      }
      const run = (await (await routes.run.GET(plainRequest('/api/chats/unsaved-chat/run'), params({ id: 'unsaved-chat' }))).json()) as {
        run: unknown;
      };
      expect(run.run).toBeNull();
      expect(await savedMessages('unsaved-chat')).toEqual([]);

      const next = await send('unsaved-chat', 'Saved question', 'test:paced-3-1');
      expect(next.status).toBe(200);
      await next.text();
      const saved = await savedMessages('unsaved-chat');
      expect(saved.map((m) => [m.role, m.role === 'user' ? textOf(m) : m.metadata?.outcome])).toEqual([
        ['user', 'Saved question'],
        ['assistant', 'complete'],
      ]);
    });

    it("refuses a send that reuses an answer's id (400) and starts nothing; a user message's id answers it again beside the first answer", async () => {
      const first = await send('reuse-chat', 'First question', 'test:paced-3-1');
      await first.text();
      const [question, answer] = await savedMessages('reuse-chat');
      const withId = (id: string, text: string) =>
        routes.messages.POST(
          jsonRequest('/api/chats/reuse-chat/messages', { ...userMessage(text, id), model: 'test:paced-3-1' }),
          params({ id: 'reuse-chat' }),
        );
      const refused = await withId(answer!.id, 'Overwrite the answer');
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_message_id');
      const run = (await (await routes.run.GET(plainRequest('/api/chats/reuse-chat/run'), params({ id: 'reuse-chat' }))).json()) as {
        run: unknown;
      };
      expect(run.run).toBeNull();
      expect((await savedMessages('reuse-chat')).map(textOf)).toEqual([textOf(question), textOf(answer)]);

      const again = await withId(question!.id, 'First question');
      expect(again.status).toBe(200);
      await again.text();
      const saved = await savedMessages('reuse-chat');
      expect(saved.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(saved[0]!.id).toBe(question!.id);
      expect(textOf(saved[0])).toBe('First question');
      // The new answer is a sibling of the first, which is kept.
      expect(saved[1]!.id).not.toBe(answer!.id);
      expect(saved[1]!.siblingIds).toEqual([answer!.id, saved[1]!.id]);
    });

    it('allows one run per chat: a second send while it runs gets 409', async () => {
      const first = await send('busy-chat', 'First', 'test:paced-20-10');
      const second = await send('busy-chat', 'Second', 'test:paced-20-10');
      expect(second.status).toBe(409);
      expect(((await second.json()) as { error: { code: string } }).error.code).toBe('run_active');
      await first.text();
      const third = await send('busy-chat', 'Third', 'test:paced-3-1');
      expect(third.status).toBe(200);
      await third.text();
      expect((await savedMessages('busy-chat')).map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    });

    it('stops from another request: the run ends quickly, stopped, with the partial answer saved', async () => {
      const response = await send('stop-chat', 'Never ends', 'test:paced-forever-10');
      const { reader } = await readUntil(response.body!, (text) => text.includes('word3 '));
      const run = (await (await routes.run.GET(plainRequest('/api/chats/stop-chat/run'), params({ id: 'stop-chat' }))).json()) as {
        run: { id: string } | null;
      };
      expect(run.run?.id).toEqual(expect.any(String));

      const stop = await routes.stop.POST(plainRequest('/api/chats/stop-chat/stop', { method: 'POST' }), params({ id: 'stop-chat' }));
      expect(await stop.json()).toEqual({ stopped: true, runId: run.run?.id });
      let rest = '';
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += decoder.decode(value, { stream: true });
      }
      // The model says a word every 10 ms: the stop takes effect before it says 50 more (the half
      // second a stop may take), counted in the model's words rather than the clock of a loaded machine.
      const wordsAfterStop = rest.match(/word\d+ /g) ?? [];
      expect(wordsAfterStop.length).toBeLessThan(50);
      const phases = parseChunks(rest)
        .chunks.filter((c) => c.type === 'data-status')
        .map((c) => (c.data as { phase: string }).phase);
      expect(phases.at(-1)).toBe('stopped');

      const answer = await finishedAnswer('stop-chat');
      expect(answer.metadata?.outcome).toBe('stopped');
      expect(textOf(answer)).toMatch(/^word0 word1 word2 word3 /);
      const again = await routes.stop.POST(plainRequest('/api/chats/stop-chat/stop', { method: 'POST' }), params({ id: 'stop-chat' }));
      expect(await again.json()).toEqual({ stopped: false });
    });

    it('ends a run past its time limit with an error, saved as an error', async () => {
      const response = await send('slow-chat', 'Never ends', 'test:paced-forever-20');
      const { chunks, done } = parseChunks(await response.text());
      expect(done).toBe(true);
      expect(chunks.find((c) => c.type === 'error')?.errorText).toBe('The answer took longer than the time limit (5 s).');
      const phases = chunks.filter((c) => c.type === 'data-status').map((c) => (c.data as { phase: string }).phase);
      expect(phases.at(-1)).toBe('error');
      expect((await finishedAnswer('slow-chat')).metadata?.outcome).toBe('error');
    });

    it('answers 404 to another identity on every route of the chat, and lists only its own chats', async () => {
      await (await send('private-chat', 'Mine', 'test:paced-2-1')).text();
      const stranger = { identity: 'someone-else' };
      const id = { id: 'private-chat' };
      const answers = [
        await routes.chat.GET(plainRequest('/api/chats/private-chat', stranger), params(id)),
        await routes.chat.DELETE(plainRequest('/api/chats/private-chat', { ...stranger, method: 'DELETE' }), params(id)),
        await routes.messages.POST(jsonRequest('/api/chats/private-chat/messages', userMessage('Theirs'), stranger), params(id)),
        await routes.stream.GET(plainRequest('/api/chats/private-chat/stream', stranger), params(id)),
        await routes.stop.POST(plainRequest('/api/chats/private-chat/stop', { ...stranger, method: 'POST' }), params(id)),
        await routes.run.GET(plainRequest('/api/chats/private-chat/run', stranger), params(id)),
      ];
      expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
      const theirs = (await (await routes.chats.GET(plainRequest('/api/chats', stranger))).json()) as { chats: Array<{ id: string }> };
      expect(theirs.chats.map((c) => c.id)).not.toContain('private-chat');
      expect(await savedMessages('private-chat')).toHaveLength(2);

      const anonymous = await routes.chats.GET(new Request('http://localhost/api/chats'));
      expect(anonymous.status).toBe(401);
    });
  });

  describe(`conversations as trees (${backend})`, () => {
    const post = (chatId: string, body: Record<string, unknown>) =>
      routes.messages.POST(jsonRequest(`/api/chats/${chatId}/messages`, body), params({ id: chatId }));
    const ask = async (chatId: string, text: string, extra: Record<string, unknown> = {}) => {
      const response = await post(chatId, { ...userMessage(text), model: 'test:echo-prompt', ...extra });
      expect(response.status).toBe(200);
      await response.text();
      return savedMessages(chatId);
    };
    const switchTo = (chatId: string, messageId: unknown) =>
      routes.active.POST(jsonRequest(`/api/chats/${chatId}/active`, { messageId }), params({ id: chatId }));

    it("an edit starts a branch below the edited message's parent; the model sees only the active path", async () => {
      await ask('edit-chat', 'One');
      const before = await ask('edit-chat', 'Two');
      expect(before.map(textOf)).toEqual(['One', 'One', 'Two', 'One | Two']);
      const [, firstAnswer, two, twoAnswer] = before;

      const edited = await ask('edit-chat', 'Two, edited', { parentId: firstAnswer!.id });
      expect(edited.map(textOf)).toEqual(['One', 'One', 'Two, edited', 'One | Two, edited']);
      expect(edited[2]!.parentId).toBe(firstAnswer!.id);
      expect(edited[2]!.siblingIds).toEqual([two!.id, edited[2]!.id]);

      // A plain send goes after the active path's last message, on the new branch.
      const next = await ask('edit-chat', 'Three');
      expect(next.map(textOf)).toEqual(['One', 'One', 'Two, edited', 'One | Two, edited', 'Three', 'One | Two, edited | Three']);

      // Switching back to the first version shows its branch down to its newest message.
      const back = await switchTo('edit-chat', two!.id);
      expect(back.status).toBe(200);
      const path = ((await back.json()) as { messages: Saved[] }).messages;
      expect(path.map((m) => m.id)).toEqual([before[0]!.id, firstAnswer!.id, two!.id, twoAnswer!.id]);
      expect((await savedMessages('edit-chat')).map((m) => m.id)).toEqual(path.map((m) => m.id));

      // A first message edited: a new root beside the first one.
      const root = await ask('edit-chat', 'Zero', { parentId: null });
      expect(root.map(textOf)).toEqual(['Zero', 'Zero']);
      expect(root[0]!.siblingIds).toEqual([before[0]!.id, root[0]!.id]);
    });

    it('regenerating keeps every earlier answer as a sibling, and a switch picks any of them', async () => {
      const [question, first] = await ask('regen-chat', 'Hello');
      const regenerate = () =>
        ask('regen-chat', 'Hello', { message: { id: question!.id, role: 'user', parts: [{ type: 'text', text: 'Hello' }] } });
      const second = (await regenerate())[1]!;
      const third = await regenerate();
      expect(third.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(third[1]!.siblingIds).toEqual([first!.id, second.id, third[1]!.id]);
      // The regenerated answer saw the same history: just the question.
      expect(textOf(third[1])).toBe('Hello');

      const chosen = await switchTo('regen-chat', second.id);
      expect(((await chosen.json()) as { messages: Saved[] }).messages.map((m) => m.id)).toEqual([question!.id, second.id]);
      // Kept: a reload reads the same path.
      expect((await savedMessages('regen-chat')).map((m) => m.id)).toEqual([question!.id, second.id]);
    });

    it('refuses a bad parent, a changed parent, an unknown message to switch to, and a switch while answering', async () => {
      await ask('bad-chat', 'One');
      const [question] = await savedMessages('bad-chat');
      const unknownParent = await post('bad-chat', { ...userMessage('Two'), parentId: 'nope' });
      expect(unknownParent.status).toBe(400);
      expect(((await unknownParent.json()) as { error: { code: string } }).error.code).toBe('parent_not_found');
      const moved = await post('bad-chat', { ...userMessage('One', question!.id), parentId: null, model: 'test:echo-prompt' });
      expect(moved.status).toBe(200);
      await moved.text();
      const movedElsewhere = await post('bad-chat', { ...userMessage('One', question!.id), parentId: 'other' });
      expect(movedElsewhere.status).toBe(400);
      expect(((await movedElsewhere.json()) as { error: { code: string } }).error.code).toBe('invalid_parent');
      expect((await savedMessages('bad-chat')).map((m) => m.role)).toEqual(['user', 'assistant']);

      const missing = await switchTo('bad-chat', 'nope');
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('message_not_found');
      expect((await switchTo('bad-chat', '../x')).status).toBe(400);
      expect(
        (
          await routes.active.POST(
            jsonRequest('/api/chats/bad-chat/active', { messageId: question!.id }, { identity: 'someone-else' }),
            params({ id: 'bad-chat' }),
          )
        ).status,
      ).toBe(404);

      const running = await send('bad-chat', 'Long', 'test:paced-20-10');
      const busy = await switchTo('bad-chat', question!.id);
      expect(busy.status).toBe(409);
      expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('run_active');
      await running.text();
    });
  });

  /**
   * A running run that no producer holds, in the chat (made if new). Run ids are fresh: a
   * shared Redis keeps earlier test runs' logs until they expire.
   */
  async function runWithoutProducer(chatId: string, runIdPrefix: string) {
    const { getRunLog } = await import('@/lib/runs/log');
    const store = await getStore();
    await store.ensureChat(chatId, 'test-user', chatId);
    const run = await store.createRun({ id: `${runIdPrefix}-${Date.now().toString(36)}`, chatId, model: 'offline:maestro', replyTo: 'q' });
    return { store, log: getRunLog(), run };
  }

  /** What a crashed producer leaves behind: a running run answering "Hi", these frames, and a lease that lapses. */
  async function orphanRun(
    chatId: string,
    runIdPrefix: string,
    frames: Parameters<Awaited<ReturnType<typeof runWithoutProducer>>['log']['append']>[1],
  ) {
    const orphan = await runWithoutProducer(chatId, runIdPrefix);
    await orphan.store.saveMessage(chatId, { id: 'q', role: 'user', parts: [{ type: 'text', text: 'Hi' }] });
    await orphan.log.renewLease(orphan.run.id, 1_000);
    await orphan.log.append(orphan.run.id, frames);
    return orphan;
  }

  describe(`a run whose producer died (${backend})`, () => {
    it('ends interrupted for its followers and in the store, with what it had written saved', async () => {
      const { store, run } = await orphanRun('orphan-chat', 'orphan-run', [
        { type: 'start', messageId: 'orphan-answer' },
        { type: 'start-step' },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'Half an ' },
        { type: 'text-delta', id: 't', delta: 'answer' },
      ]);

      const follower = await routes.stream.GET(plainRequest('/api/chats/orphan-chat/stream'), params({ id: 'orphan-chat' }));
      expect(follower.status).toBe(200);
      const { chunks, done } = parseChunks(await follower.text());
      expect(done).toBe(true);
      expect(textOfChunks(chunks)).toBe('Half an answer');
      expect((chunks.at(-1)?.data as { phase: string }).phase).toBe('interrupted');

      expect((await store.getRun(run.id))?.status).toBe('interrupted');
      const answer = (await savedMessages('orphan-chat')).find((m) => m.role === 'assistant');
      expect(answer?.metadata?.outcome).toBe('interrupted');
      expect(textOf(answer)).toBe('Half an answer');
      // The chat is not stuck: a new message starts a new run.
      const next = await send('orphan-chat', 'Again', 'test:paced-2-1');
      expect(next.status).toBe(200);
      await next.text();
    });

    it('leaves an Interrupted answer (no parts, Retry) when nothing of the answer reached the log', async () => {
      const { interruptIfAbandoned } = await import('@/lib/runs/interrupt');
      const { store, run } = await runWithoutProducer('lost-chat', 'lost-run');
      await store.saveMessage('lost-chat', { id: 'q', role: 'user', parts: [{ type: 'text', text: 'Hi' }] });
      await sleep(1_000);
      await interruptIfAbandoned(run.id);
      const saved = await savedMessages('lost-chat');
      expect(saved.map((m) => [m.role, m.parentId, m.metadata?.outcome])).toEqual([
        ['user', null, undefined],
        ['assistant', 'q', 'interrupted'],
      ]);
      expect(saved[1]?.parts.filter((part) => part.type === 'text')).toEqual([]);
    });

    it("a run that went on with a saved answer (an approval) and died keeps that answer's earlier parts", async () => {
      const { store } = await orphanRun('orphan-continued-chat', 'orphan-continued-run', [
        { type: 'start', messageId: 'earlier-answer' },
        { type: 'start-step' },
        { type: 'text-start', id: 't2' },
        { type: 'text-delta', id: 't2', delta: 'After, cut' },
      ]);
      // The answer the run went on with, saved before it (the frames only matter once the lease lapses).
      await store.saveMessage(
        'orphan-continued-chat',
        { id: 'earlier-answer', role: 'assistant', parts: [{ type: 'text', text: 'Before. ' }] },
        'q',
      );
      const follower = await routes.stream.GET(
        plainRequest('/api/chats/orphan-continued-chat/stream'),
        params({ id: 'orphan-continued-chat' }),
      );
      await follower.text();
      const saved = await savedMessages('orphan-continued-chat');
      expect(saved.map((m) => m.id)).toEqual(['q', 'earlier-answer']);
      expect(saved[1]!.parts.filter((p) => p.type === 'text').map((p) => p.text)).toEqual(['Before. ', 'After, cut']);
      expect(saved[1]!.metadata?.outcome).toBe('interrupted');
    });

    it('a run just made whose lease comes a moment later is not taken for abandoned; one whose lease never comes is, after a second', async () => {
      const { interruptIfAbandoned } = await import('@/lib/runs/interrupt');
      // Its producer takes the lease 200 ms after the run is made, while another request checks it.
      const { store, log, run: starting } = await runWithoutProducer('young-chat', 'young-run');
      const checked = interruptIfAbandoned(starting.id);
      await sleep(200);
      await log.renewLease(starting.id, 5_000);
      await checked;
      expect((await store.getRun(starting.id))?.status).toBe('running');
      await store.finishRun(starting.id, { status: 'complete' });
      await log.end(starting.id, 'complete');

      // No lease ever: the check waits (the run is still running while it does), then interrupts it.
      const { run: dead } = await runWithoutProducer('young-chat', 'dead-run');
      let settled = false;
      const deadChecked = interruptIfAbandoned(dead.id).finally(() => (settled = true));
      // Long past the few round trips the check makes, it is still waiting for the lease.
      await sleep(300);
      expect((await store.getRun(dead.id))?.status).toBe('running');
      expect(settled).toBe(false);
      await deadChecked;
      expect((await store.getRun(dead.id))?.status).toBe('interrupted');
    });

    it('an idle page polling a run just made, whose lease comes a moment later, is told it is running', async () => {
      const poll = (chatId: string) => routes.run.GET(plainRequest(`/api/chats/${chatId}/run`), params({ id: chatId }));
      // Warm: the first request of a process sets up what later ones use, which takes a while.
      await (await getStore()).ensureChat('young-poll-warm', 'test-user', 'warm');
      await poll('young-poll-warm');
      const { store, log, run: starting } = await runWithoutProducer('young-poll-chat', 'young-poll-run');
      // The poll looks for the lease before it is taken, and waits for it.
      let answered = false;
      const polled = poll('young-poll-chat').finally(() => (answered = true));
      await sleep(300);
      expect(answered).toBe(false);
      await log.renewLease(starting.id, 5_000);
      const { run } = (await (await polled).json()) as { run: { id: string } | null };
      expect(run?.id).toBe(starting.id);
      expect((await store.getRun(starting.id))?.status).toBe('running');
      await store.finishRun(starting.id, { status: 'complete' });
      await log.end(starting.id, 'complete');
    });
  });
}
