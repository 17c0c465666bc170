// Synchronous sleep: the store's critical path is synchronous (no event-loop turns while the
// lock is held), and waiting for a lock needs a real pause, not a busy loop.
const cell = new Int32Array(new SharedArrayBuffer(4));
export function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(cell, 0, 0, ms);
}
