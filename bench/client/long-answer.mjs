// Client benchmark: how the page copes with a long markdown answer streaming in.
//
// What it does: starts Maestro's production build (`next start`, offline model at 10 ms a word,
// about 100 words a second), opens a chat in headless Chromium, asks the offline model for an
// answer of about 4,000 words (headings, lists, ```ts code blocks, tables) through the real UI
// (composer textarea + Enter), waits until the log is no longer busy, and checks that the answer on
// the page is complete: about as many words as the saved answer, its last "Part N" heading and its
// last table row rendered. It fails loudly (throws) otherwise.
//
// How it measures (all on the page's renderer main thread):
//  - Long tasks: a PerformanceObserver for 'longtask' (tasks over 50 ms) and 'long-animation-frame'
//    (frames over 50 ms, with their scripts, for diagnosis), installed with addInitScript before
//    any page script runs (buffered). Counted from the send to 1 s after the answer ended (the
//    final, non-streaming render is part of the stream's cost): count, total and longest.
//  - Busy share: CDP `Performance.getMetrics` TaskDuration (seconds the main thread spent running
//    tasks: script, style, layout, paint, GC) at the send and at the end; its delta over wall time.
//  - Cost of a render update, early against late: a MutationObserver on the conversation log
//    counts DOM updates (one callback per task that changed the DOM: one per React commit, plus
//    any other DOM writes, e.g. Streamdown's code-block controls). Every 250 ms the bench samples
//    { TaskDuration, updates, characters of the answer on the page } (cheap reads: a counter and
//    one textContent length). The early window is the stretch where the answer on the page grows
//    from 10% to 25% of its final length; the late window from 80% to 95%. Per window:
//    busy ms / DOM updates = cost of one update; and busy ms per 100 words, which does not depend
//    on how updates are batched. Ratio = late / early. Content is alike in both windows (the
//    offline answer's sections all have the same shape), so a ratio above 1 is a cost that grows
//    with the answer's length. The sampling itself costs the same in both windows.
// Everything else on the machine competes for the CPU too: run it a few times (the CLI runs
// 3 repetitions and prints each, and their spread).
//
// Usage: node bench/client/long-answer.mjs [--smoke] [--runs N] [--port P] [--profile]
//   --smoke   a ~400-word answer, one run: a quick check that the bench works end to end
//   --profile also records a CPU profile of the stream (bench/results/client-long-answer-<n>.cpuprofile)
// Diagnosis: BENCH_TRACE=file.json writes a Chrome trace of the stream (devtools.timeline; ~200 MB);
// BENCH_DUMP=file.txt writes the saved answer and the page's text, for a failed completeness check.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { startMaestro } from '../lib/server.mjs';
import { RESULTS_DIR, printTable, writeResult } from '../lib/results.mjs';
import { percentile, sleep } from '../lib/stats.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FULL_WORDS = 4000;
const SMOKE_WORDS = 400;
const SAMPLE_EVERY_MS = 250;
const EARLY = [0.1, 0.25];
const LATE = [0.8, 0.95];
const BUDGET = { longTasks: 0, lateEarlyRatio: 1.5 };

/** Installed before any page script: long tasks and long animation frames, buffered. */
function installObservers() {
  const bench = { longTasks: [], frames: [], updates: 0, observing: false };
  window.__bench = bench;
  const observe = (type, push) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(push)).observe({ type, buffered: true });
    } catch {
      // not supported by this browser
    }
  };
  observe('longtask', (entry) => bench.longTasks.push({ start: entry.startTime, duration: entry.duration }));
  observe('long-animation-frame', (entry) =>
    bench.frames.push({
      start: entry.startTime,
      duration: entry.duration,
      blocking: entry.blockingDuration,
      render: entry.startTime + entry.duration - entry.renderStart,
      styleAndLayout: entry.startTime + entry.duration - entry.styleAndLayoutStart,
      scripts: entry.scripts.map((script) => ({
        duration: script.duration,
        invoker: script.invoker,
        source: `${script.sourceFunctionName || '?'} ${script.sourceURL.split('/').at(-1)}:${script.sourceCharPosition}`,
      })),
    }),
  );
}

/** Counts the tasks that change the conversation's DOM (MutationObserver callbacks). */
function observeUpdates() {
  const bench = window.__bench;
  const log = document.querySelector('[data-testid="message-log"]');
  if (!log) throw new Error('no conversation log on the page');
  new MutationObserver(() => {
    bench.updates += 1;
  }).observe(log, { childList: true, subtree: true, characterData: true, attributes: true });
}

/** One cheap sample of the page: time, DOM updates, characters of the last answer, busy. */
function pageSample() {
  const answers = document.querySelectorAll('[data-testid="assistant-message"]');
  const last = answers[answers.length - 1];
  const log = document.querySelector('[data-testid="message-log"]');
  return {
    now: performance.now(),
    updates: window.__bench.updates,
    chars: last ? last.textContent.length : 0,
    busy: log?.getAttribute('aria-busy') === 'true',
  };
}

const round = (value, digits = 1) => (Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : null);

/** Words as they read on the page and in the markdown source: markup-only tokens do not count. */
function readableWords(text) {
  return text
    .replace(/```\w*/g, ' ')
    .split(/[\s|]+/)
    .map((token) => token.replace(/^[#>*_`~:-]+|[*_`~]+$/g, ''))
    .filter((token) => /[\p{L}\p{N}]/u.test(token) && !/^\d+[.)]$/.test(token));
}

/** The window where the answer grew from `from` to `to` of its final length (samples while busy). */
function windowOf(samples, finalChars, [from, to], wordsTotal) {
  const start = samples.find((sample) => sample.chars >= from * finalChars);
  const end = samples.find((sample) => sample.chars >= to * finalChars);
  if (!start || !end || end === start) return null;
  const busyMs = (end.taskSeconds - start.taskSeconds) * 1000;
  const updates = end.updates - start.updates;
  const words = ((end.chars - start.chars) / finalChars) * wordsTotal;
  return {
    wallMs: round(end.now - start.now, 0),
    busyMs: round(busyMs),
    updates,
    msPerUpdate: round(busyMs / updates, 2),
    msPer100Words: round((busyMs / words) * 100, 1),
    busyShare: round(busyMs / (end.now - start.now), 3),
  };
}

async function taskSeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN;
}

/**
 * One run: a fresh server, a fresh browser, one long answer. Returns the figures, or throws when
 * the answer did not complete or did not render.
 */
export async function longAnswerBench({ smoke = false, port = 3601, profile = false, run = 1 } = {}) {
  const words = smoke ? SMOKE_WORDS : FULL_WORDS;
  const question = `Explain how Maestro streams answers, in about ${words.toLocaleString('en-US')} words.`;
  const server = await startMaestro({ port, backend: 'embedded', delayMs: 10 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.addInitScript(installObservers);
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/chat\/[A-Za-z0-9_-]+$/);
    const chatId = new URL(page.url()).pathname.split('/').at(-1);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.waitFor({ state: 'visible' });
    await page.evaluate(observeUpdates);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    await sleep(500); // let hydration and the first poll settle

    await box.fill(question);
    const sample = async () => {
      const [page_, seconds] = await Promise.all([page.evaluate(pageSample), taskSeconds(cdp)]);
      return { ...page_, taskSeconds: seconds };
    };
    const startSample = await sample();
    if (profile) await cdp.send('Profiler.start');
    if (process.env.BENCH_TRACE)
      await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await box.press('Enter');

    // Sample until the log is no longer busy (the run ended), then 1 s more for the final render.
    const samples = [];
    const deadline = performance.now() + (words / 100) * 1000 * 4 + 30_000;
    let sawBusy = false;
    for (;;) {
      await sleep(SAMPLE_EVERY_MS);
      const current = await sample();
      samples.push(current);
      if (current.busy) sawBusy = true;
      if (sawBusy && !current.busy) break;
      if (performance.now() > deadline) throw new Error(`the answer did not finish in time (${current.chars} characters on the page)`);
    }
    const endSample = samples.at(-1);
    await sleep(1000);
    const settledSample = await sample();
    if (process.env.BENCH_TRACE) writeFileSync(process.env.BENCH_TRACE, await browser.stopTracing());
    let profileFile;
    if (profile) {
      const { profile: cpuProfile } = await cdp.send('Profiler.stop');
      mkdirSync(RESULTS_DIR, { recursive: true });
      profileFile = path.join(RESULTS_DIR, `client-long-answer-${run}.cpuprofile`);
      writeFileSync(profileFile, JSON.stringify(cpuProfile));
    }

    // The answer must be complete and rendered: compare with the answer as the server saved it.
    const saved = await (await page.request.get(`${server.url}/api/chats/${chatId}`)).json();
    const answer = saved.messages?.at(-1);
    if (answer?.role !== 'assistant') throw new Error('the server saved no answer');
    const source = answer.parts
      .filter((part) => part.type === 'text')
      .map((part) => part.text)
      .join('');
    const outcome = answer.metadata?.outcome;
    if (outcome !== 'complete') throw new Error(`the answer ended ${outcome}`);
    // Streamdown gives code blocks `content-visibility: auto`, and so does the page to settled
    // blocks: innerText skips those off screen. Make them all visible first (after the measurement)
    // so the page's text is the whole answer.
    const { rendered, codeBodies } = await page.evaluate(() => {
      for (const element of document.querySelectorAll('[data-testid="assistant-message"] *'))
        if (getComputedStyle(element).contentVisibility === 'auto') element.style.contentVisibility = 'visible';
      const texts =
        [...document.querySelectorAll('[data-testid="assistant-message"]')].at(-1)?.querySelectorAll('[data-testid="assistant-text"]') ??
        [];
      return {
        rendered: [...texts].map((element) => element.innerText).join('\n'),
        codeBodies: [...document.querySelectorAll('[data-testid="assistant-message"] [data-streamdown="code-block-body"]')].map((element) =>
          element.textContent.trim(),
        ),
      };
    });
    if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, `${source}\n\n=====\n\n${rendered}`);
    const sourceWords = readableWords(source).length;
    const renderedWords = readableWords(rendered).length;
    const fences = [...source.matchAll(/^```\w*\n([\s\S]*?)^```/gm)].map((match) => match[1].trim());
    const lastHeading = [...source.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.*)$/gm)].at(-1)?.[1]?.replace(/[*`_]/g, '').trim();
    const lastLine = source.trimEnd().split('\n').at(-1);
    const problems = [];
    if (Math.abs(renderedWords - sourceWords) > Math.max(5, sourceWords * 0.02))
      problems.push(`${renderedWords} words on the page, ${sourceWords} in the answer`);
    if (!lastHeading) problems.push('the answer has no heading');
    else if (!smoke && !lastHeading.startsWith('Part ')) problems.push(`the answer's last heading is "${lastHeading}", not a "Part N"`);
    else if ((await page.getByRole('heading', { name: lastHeading, exact: true }).count()) !== 1)
      problems.push(`the last heading "${lastHeading}" is not on the page`);
    const lastRow = lastLine.startsWith('|')
      ? lastLine
          .split('|')
          .map((cell) => cell.trim())
          .filter(Boolean)
      : [];
    if (
      lastRow.length > 0 &&
      (await page.locator('table tr').last().innerText()).split(/\s+/).join(' ') !== lastRow.join(' ').split(/\s+/).join(' ')
    )
      problems.push(`the last table row "${lastRow.join(' | ')}" is not the page's last row`);
    const squash = (text) => text.replace(/\s+/g, '');
    const wrongCode = codeBodies.findIndex((body, index) => squash(body) !== squash(fences[index] ?? ''));
    if (codeBodies.length !== fences.length || wrongCode >= 0)
      problems.push(
        `the code blocks on the page (${codeBodies.length}) are not the answer's (${fences.length}); first different: ${JSON.stringify(codeBodies[wrongCode])} against ${JSON.stringify(fences[wrongCode])}`,
      );
    if (pageErrors.length > 0) problems.push(`page errors: ${pageErrors.join('; ')}`);
    const updates = endSample.updates - startSample.updates;
    if (updates < sourceWords / 100) problems.push(`only ${updates} DOM updates: the answer did not stream visibly`);
    if (problems.length > 0) throw new Error(`run ${run}: the answer did not render completely:\n  ${problems.join('\n  ')}`);

    // Long tasks and busy share from the send to 1 s after the end.
    const { longTasks, frames } = await page.evaluate(() => window.__bench);
    const inStream = (entry) => entry.start >= startSample.now && entry.start <= settledSample.now;
    const streamTasks = longTasks.filter(inStream);
    const afterEnd = streamTasks.filter((entry) => entry.start > endSample.now - SAMPLE_EVERY_MS);
    const streamFrames = frames.filter(inStream).sort((a, b) => b.duration - a.duration);
    const wallMs = settledSample.now - startSample.now;
    const busyMs = (settledSample.taskSeconds - startSample.taskSeconds) * 1000;
    const finalChars = endSample.chars;
    const during = samples.filter((s) => s.busy);
    const early = windowOf(during, finalChars, EARLY, sourceWords);
    const late = windowOf(during, finalChars, LATE, sourceWords);
    const durations = streamTasks.map((entry) => entry.duration);
    return {
      run,
      words: sourceWords,
      chars: finalChars,
      wallMs: round(wallMs, 0),
      longTasks: {
        count: streamTasks.length,
        totalMs: round(
          durations.reduce((sum, value) => sum + value, 0),
          0,
        ),
        longestMs: round(durations.length ? Math.max(...durations) : 0, 0),
        p50Ms: round(durations.length ? percentile(durations, 50) : 0, 0),
        afterEndCount: afterEnd.length,
        // When each began, in ms after the send (the answer ended at endMs): for diagnosis.
        at: streamTasks.map((entry) => ({ startMs: round(entry.start - startSample.now, 0), durationMs: round(entry.duration, 0) })),
        endMs: round(endSample.now - startSample.now, 0),
      },
      busyMs: round(busyMs, 0),
      busyShare: round(busyMs / wallMs, 3),
      domUpdates: updates,
      early,
      late,
      ratio: {
        perUpdate: early && late ? round(late.msPerUpdate / early.msPerUpdate, 2) : null,
        per100Words: early && late ? round(late.msPer100Words / early.msPer100Words, 2) : null,
      },
      // The longest frames, for diagnosis: where their time went.
      longestFrames: streamFrames.slice(0, 3).map((frame) => ({
        durationMs: round(frame.duration, 0),
        renderMs: round(frame.render, 0),
        styleAndLayoutMs: round(frame.styleAndLayout, 0),
        scripts: frame.scripts
          .sort((a, b) => b.duration - a.duration)
          .slice(0, 3)
          .map((script) => `${round(script.duration, 0)} ms ${script.invoker} (${script.source})`),
      })),
      ...(profileFile ? { profile: profileFile } : {}),
    };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

function spread(values) {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  return { min: Math.min(...finite), max: Math.max(...finite), median: percentile(finite, 50) };
}

/** Rows of the printed table: one per run. */
function tableRows(runs) {
  return runs.map((result) => ({
    run: result.run,
    words: result.words,
    'long tasks': result.longTasks.count,
    'total ms': result.longTasks.totalMs,
    'longest ms': result.longTasks.longestMs,
    'busy %': round(result.busyShare * 100, 1),
    updates: result.domUpdates,
    'early ms/upd': result.early?.msPerUpdate ?? '-',
    'late ms/upd': result.late?.msPerUpdate ?? '-',
    'ratio/upd': result.ratio.perUpdate ?? '-',
    'early ms/100w': result.early?.msPer100Words ?? '-',
    'late ms/100w': result.late?.msPer100Words ?? '-',
    'ratio/100w': result.ratio.per100Words ?? '-',
  }));
}

/** Runs the client benchmark `count` times, prints a table and writes bench/results/client-long-answer(-smoke).json. */
export async function clientBench({ smoke = false, count = smoke ? 1 : 3, port = 3601, profile = false } = {}) {
  const runs = [];
  for (let run = 1; run <= count; run++) runs.push(await longAnswerBench({ smoke, port, profile, run }));
  const worst = {
    longTasks: Math.max(...runs.map((result) => result.longTasks.count)),
    ratio: Math.max(...runs.map((result) => result.ratio.perUpdate ?? Number.POSITIVE_INFINITY)),
  };
  const summary = {
    longTasksCount: spread(runs.map((result) => result.longTasks.count)),
    longTasksTotalMs: spread(runs.map((result) => result.longTasks.totalMs)),
    longestMs: spread(runs.map((result) => result.longTasks.longestMs)),
    busyShare: spread(runs.map((result) => result.busyShare)),
    ratioPerUpdate: spread(runs.map((result) => result.ratio.perUpdate)),
    ratioPer100Words: spread(runs.map((result) => result.ratio.per100Words)),
    budget: BUDGET,
    withinBudget: worst.longTasks <= BUDGET.longTasks && worst.ratio <= BUDGET.lateEarlyRatio,
  };
  printTable(
    `Client, long answer (${smoke ? 'smoke, ~400' : '~4,000'} words at ~100 words/s; early ${EARLY.map((v) => v * 100).join('–')}%, late ${LATE.map((v) => v * 100).join('–')}% of the answer)`,
    tableRows(runs),
  );
  console.log(
    smoke
      ? '\nbudget: not judged on the short smoke answer (its early and late windows are a few updates each)'
      : `\nbudget: no long task > 50 ms, late/early per-update cost <= ${BUDGET.lateEarlyRatio}: ${summary.withinBudget ? 'met' : 'NOT met'} (worst run: ${worst.longTasks} long tasks, ratio ${Number.isFinite(worst.ratio) ? worst.ratio : 'not measured'})`,
  );
  const file = writeResult(smoke ? 'client-long-answer-smoke' : 'client-long-answer', {
    question: `about ${smoke ? SMOKE_WORDS : FULL_WORDS} words at 10 ms a word`,
    summary,
    runs,
  });
  console.log(`results: ${path.relative(process.cwd(), file)}`);
  return { summary, runs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(name);
    return index >= 0 ? Number(args[index + 1]) : fallback;
  };
  const smoke = args.includes('--smoke');
  await clientBench({ smoke, count: option('--runs', smoke ? 1 : 3), port: option('--port', 3601), profile: args.includes('--profile') });
}
