// Delivery lag: how long a frame waited between the run log (the server's `: at` stamp) and the
// client. The client and the server share the machine's clock.
import { percentile } from '../lib/stats.mjs';

export function lagRecorder() {
  const lags = [];
  let unstamped = 0;
  return {
    onFrame(frame) {
      if (frame.at === undefined) unstamped += 1;
      else lags.push(frame.receivedAt - frame.at);
    },
    /** Records only frames that entered the log after `sinceWall` (a replay of older ones is not lag). */
    since(sinceWall) {
      return (frame) => {
        if (frame.at === undefined || frame.at >= Math.floor(sinceWall)) this.onFrame(frame);
      };
    },
    summary() {
      const round = (value) => Math.round(value * 10) / 10;
      return {
        frames: lags.length,
        unstamped,
        lagP50: round(percentile(lags, 50)),
        lagP99: round(percentile(lags, 99)),
        lagMax: round(percentile(lags, 100)),
      };
    },
  };
}

/** Frame ids with a gap between them (memory log ids are 1, 2, 3, …; Redis ids are not dense). */
export function gaps(frames) {
  let missing = 0;
  for (let i = 1; i < frames.length; i++) {
    const previous = Number(frames[i - 1].id);
    const current = Number(frames[i].id);
    if (Number.isInteger(previous) && Number.isInteger(current) && current !== previous + 1) missing += current - previous - 1;
  }
  return missing;
}
