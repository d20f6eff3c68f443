// Memory and CPU of a process and its children, read from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

function children(pid) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** The pid and all its descendants. */
export function processTree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]));
  return all;
}

/** Resident memory (bytes) and CPU time used so far (ms) of `pid` and its descendants. */
export function usage(pid) {
  let rssBytes = 0;
  let cpuMs = 0;
  for (const id of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[11], fields[12]: utime, stime (clock ticks); fields[21]: rss (pages)
      cpuMs += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
      rssBytes += Number(fields[21]) * 4096;
    } catch {
      // the process ended while we looked
    }
  }
  return { rssBytes, cpuMs };
}

/** Samples `usage(pid)` every `everyMs` until stopped: peak memory and CPU share over the window. */
export function sampleUsage(pid, everyMs = 250) {
  const start = { ...usage(pid), at: performance.now() };
  let peakRssBytes = start.rssBytes;
  const timer = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, usage(pid).rssBytes);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const end = { ...usage(pid), at: performance.now() };
      peakRssBytes = Math.max(peakRssBytes, end.rssBytes);
      const wallMs = end.at - start.at;
      return {
        peakRssMB: Math.round(peakRssBytes / 2 ** 20),
        cpuSeconds: Math.round((end.cpuMs - start.cpuMs) / 100) / 10,
        // 1.0 is one core busy for the whole window.
        cpuCores: Math.round(((end.cpuMs - start.cpuMs) / wallMs) * 100) / 100,
      };
    },
  };
}
