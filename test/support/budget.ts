// Wall-clock budgets that follow the machine's speed right now, instead of fixed numbers that
// a loaded 2-core machine blows through. The floor is the fastest of a few bare `node -e 0`
// starts: nothing jitp does can be faster than that, and it slows down with the machine.
import { spawnSync } from 'node:child_process';

/** `node -e 0` on a quiet reference machine (2 cores, the CI kind), in ms. */
export const REFERENCE_FLOOR_MS = 100;

/** The fastest of `n` bare Node starts, in ms. */
export function measureFloorMs(n = 3): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** How much slower than the reference this machine is now (never below 1, at most 10). */
export function slowdown(floorMs = measureFloorMs(2)): number {
  return Math.min(10, Math.max(1, floorMs / REFERENCE_FLOOR_MS));
}

/** A budget for something that takes at most `quietMs` on the reference machine, scaled to now. */
export function budget(quietMs: number, floorMs?: number): number {
  return Math.round(quietMs * slowdown(floorMs));
}
