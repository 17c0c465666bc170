// The lock hand-off as `jitp claim wait` really does it (docs/wait.md), for the flow simulation.
// skill.ts's default hand-off is conservative: a refused issue idles in its slot until its holders
// stop and then does all of its work. The real sub-agent is told (the prompt template) to wait
// last: it does the rest of its issue first, runs `jitp claim wait` when nothing else is left,
// gets the file the moment the holder's sub-agent stops (its lease is marked finished; no
// `issue done` needed), and then makes only the edits that needed that file: the `tail` share of
// its work. The tail was first assumed (0.25); it is now measured from history (tail-measure.ts,
// `npm run eval:flow:tail`) and taken per wait from the waiter's own commits. Deadlocks cannot
// arise in the simulation (an issue takes its files when it starts and only waits for issues that
// started earlier); the real run breaks them (the youngest yields).
import { fromFirstTouchShare, heldLinesShare } from './tail-measure.js';
import type { SimIssue } from './sim.js';

/** Default share of a waiter's work that needs the waited-for file (JITP_FLOW_WAIT_TAIL overrides). */
export const DEFAULT_WAIT_TAIL = 0.25;

/** The tail of one wait: a constant, or from the waiter and the files it met held. */
export type WaitTail = number | ((waiter: SimIssue, held: readonly string[]) => number);

/**
 * Per wait, from the waiter's own commits (lines stand in for time): its lines on the held files
 * (it defers exactly those edits, as told), or, pessimistic, its lines from its first commit
 * touching one of them. A waiter without commits in the data gets tail 1 (the idle wait).
 */
export const measuredTail =
  (kind: 'held lines' | 'from first touch'): WaitTail =>
  (waiter, held) => {
    if (!waiter.work?.length) return 1;
    return kind === 'held lines' ? heldLinesShare(waiter.work, held) : fromFirstTouchShare(waiter.work, held);
  };

export function waitTail(): number {
  const v = Number(process.env.JITP_FLOW_WAIT_TAIL ?? DEFAULT_WAIT_TAIL);
  return Number.isFinite(v) && v >= 0 && v <= 1 ? v : DEFAULT_WAIT_TAIL;
}

/**
 * When a waiter that started at `start`, with `hours` of work, ends: its own work overlaps the
 * holders' runs; the tail that needs their file follows the last holder's stop. Tail 1 is the
 * idle wait (start after the holders, then all the work).
 */
export function claimWaitEnd(start: number, hours: number, holderEnds: readonly number[], tail: number): number {
  return Math.max(start + hours, Math.max(...holderEnds) + tail * hours);
}
