/** Wraps a stop callback so that it runs at most once, unregistering itself before it runs. */
export function firesOnce(callback: () => void, unregister: () => void): () => void {
  let fired = false;
  return () => {
    if (fired) return;
    fired = true;
    unregister();
    callback();
  };
}
