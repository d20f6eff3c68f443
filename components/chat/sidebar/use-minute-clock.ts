import { useSyncExternalStore } from 'react';

const MINUTE_MS = 60_000;

function subscribe(onChange: () => void): () => void {
  const timer = setInterval(onChange, MINUTE_MS / 4);
  return () => clearInterval(timer);
}

const currentMinute = () => Math.floor(Date.now() / MINUTE_MS);
const noClock = () => null;

/**
 * Now, to the minute (ms since the epoch), re-rendering as minutes pass; null while the server
 * renders and the page hydrates, since the server knows neither the viewer's clock nor time zone.
 */
export function useMinuteClock(): number | null {
  const minute = useSyncExternalStore(subscribe, currentMinute, noClock);
  return minute === null ? null : minute * MINUTE_MS;
}
