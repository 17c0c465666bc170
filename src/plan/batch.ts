// Pure batching: dependency order first, then a colouring of the conflict graph (DSatur with
// precedence) under the tier rules: never two RED together, CRITICAL alone, at most
// maxParallel per batch.
import { JitpError } from '../platform/errors.js';
import type { RiskTier } from './types.js';

export interface BatchNode {
  id: string;
  tier: RiskTier;
  /** Dependencies inside the selection only. */
  deps: string[];
  /** Higher runs earlier on ties (critical 3 … low 0). */
  priority?: number;
  /**
   * Longest chain of issues outside the selection (blocked now) that wait on this one: an issue
   * that unblocks a long chain goes first, as one with dependants inside the selection does.
   */
  after?: number;
}

/**
 * For each selected id, the longest chain of `waiting` issues (not selected, not done) that
 * depend on it, directly or through each other. Cycles among the waiting count once.
 */
export function chainsAfter(
  selected: readonly string[],
  waiting: ReadonlyArray<{ id: string; deps: readonly string[] }>,
): Map<string, number> {
  const dependants = new Map<string, string[]>();
  for (const w of waiting) for (const d of w.deps) (dependants.get(d) ?? dependants.set(d, []).get(d)!).push(w.id);
  const memo = new Map<string, number>();
  const onPath = new Set<string>();
  const len = (id: string): number => {
    const m = memo.get(id);
    if (m !== undefined) return m;
    if (onPath.has(id)) return 0;
    onPath.add(id);
    const v = 1 + Math.max(0, ...(dependants.get(id) ?? []).map(len));
    onPath.delete(id);
    memo.set(id, v);
    return v;
  };
  return new Map(selected.map((id) => [id, Math.max(0, ...(dependants.get(id) ?? []).map(len))]));
}

/** Finds one dependency cycle (as a closed path a -> b -> … -> a) or undefined. */
export function findCycle(nodes: readonly BatchNode[]): string[] | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 1);
    stack.push(id);
    for (const d of [...(byId.get(id)?.deps ?? [])].sort()) {
      if (!byId.has(d)) continue;
      const s = state.get(d);
      if (s === 1) return [...stack.slice(stack.indexOf(d)), d];
      if (s === undefined) {
        const c = visit(d);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(id, 2);
    return undefined;
  };
  for (const n of [...nodes].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (!state.has(n.id)) {
      const c = visit(n.id);
      if (c) return c;
    }
  }
  return undefined;
}

export function cycleError(cycle: string[], label: (id: string) => string = (x) => x): JitpError {
  const shown = cycle.map(label).join(' -> ');
  return new JitpError('E_DEP_CYCLE', `dependency cycle among the selected issues: ${shown}`, {
    hint:
      `remove one of these dependencies (with jit: \`jit dep rm ${label(cycle[0]!)} ${label(cycle[1]!)}\`), or ` +
      `plan the issues separately`,
    details: { cycle },
  });
}

interface Ctx {
  nodes: BatchNode[];
  byId: Map<string, BatchNode>;
  adj: Map<string, Set<string>>;
  maxParallel: number;
}

function canJoin(ctx: Ctx, v: BatchNode, members: readonly string[]): boolean {
  if (members.length >= ctx.maxParallel) return false;
  if (members.length && v.tier === 'CRITICAL') return false;
  const nb = ctx.adj.get(v.id)!;
  for (const m of members) {
    const o = ctx.byId.get(m)!;
    if (o.tier === 'CRITICAL') return false;
    if (v.tier === 'RED' && o.tier === 'RED') return false;
    if (nb.has(m)) return false;
  }
  return true;
}

/** Chain length for ordering: dependants in the selection, or the blocked chain outside it. */
function urgency(ctx: Ctx): Map<string, number> {
  const depth = longestChain(ctx);
  return new Map([...depth].map(([id, d]) => [id, Math.max(d, 1 + (ctx.byId.get(id)!.after ?? 0))]));
}

/** DSatur order among vertices whose dependencies are coloured; colour > every dependency's. */
function dsatur(ctx: Ctx): string[][] {
  const colour = new Map<string, number>();
  const classes: string[][] = [];
  const depth = urgency(ctx);
  while (colour.size < ctx.nodes.length) {
    let best: BatchNode | undefined;
    let bestKey: number[] = [];
    for (const v of ctx.nodes) {
      if (colour.has(v.id) || !v.deps.every((d) => colour.has(d) || !ctx.byId.has(d))) continue;
      const sat = new Set([...ctx.adj.get(v.id)!].filter((u) => colour.has(u)).map((u) => colour.get(u))).size;
      const key = [
        sat,
        depth.get(v.id)!,
        ctx.adj.get(v.id)!.size,
        v.tier === 'CRITICAL' ? 2 : v.tier === 'RED' ? 1 : 0,
        v.priority ?? 1,
      ];
      if (!best || cmp(key, bestKey) > 0 || (cmp(key, bestKey) === 0 && v.id < best.id)) {
        best = v;
        bestKey = key;
      }
    }
    const v = best!;
    const floor = Math.max(-1, ...v.deps.filter((d) => ctx.byId.has(d)).map((d) => colour.get(d)!)) + 1;
    let c = floor;
    while (c < classes.length && !canJoin(ctx, v, classes[c]!)) c++;
    if (c === classes.length) classes.push([]);
    classes[c]!.push(v.id);
    colour.set(v.id, c);
  }
  return classes.filter((c) => c.length > 0);
}

/** List scheduling: each round, ready issues by critical path, greedily packed into one batch. */
function rounds(ctx: Ctx): string[][] {
  const done = new Set<string>();
  const out: string[][] = [];
  const depth = urgency(ctx);
  while (done.size < ctx.nodes.length) {
    const ready = ctx.nodes
      .filter((v) => !done.has(v.id) && v.deps.every((d) => done.has(d) || !ctx.byId.has(d)))
      .sort(
        (a, b) =>
          depth.get(b.id)! - depth.get(a.id)! ||
          ctx.adj.get(b.id)!.size - ctx.adj.get(a.id)!.size ||
          (b.priority ?? 1) - (a.priority ?? 1) ||
          (a.id < b.id ? -1 : 1),
      );
    const batch: string[] = [];
    // A CRITICAL issue alone is a whole round; take it only when nothing else is ready.
    for (const v of ready) if (canJoin(ctx, v, batch)) batch.push(v.id);
    out.push(batch);
    for (const id of batch) done.add(id);
  }
  return out;
}

/** Length of the longest chain of dependants after each node (issues that unlock more go first). */
function longestChain(ctx: Ctx): Map<string, number> {
  const dependants = new Map<string, string[]>(ctx.nodes.map((n) => [n.id, []]));
  for (const n of ctx.nodes) for (const d of n.deps) dependants.get(d)?.push(n.id);
  const memo = new Map<string, number>();
  const f = (id: string): number => {
    const m = memo.get(id);
    if (m !== undefined) return m;
    const v = 1 + Math.max(0, ...dependants.get(id)!.map(f));
    memo.set(id, v);
    return v;
  };
  for (const n of ctx.nodes) f(n.id);
  return memo;
}

const cmp = (a: number[], b: number[]): number => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
};

/**
 * Batches in run order. Throws E_DEP_CYCLE naming the cycle. Two heuristics run and the one
 * with fewer batches wins (ties: DSatur); both respect every rule.
 */
export function planBatches(
  nodes: readonly BatchNode[],
  conflicts: ReadonlyArray<{ pair: [string, string] }>,
  maxParallel: number,
): string[][] {
  const cycle = findCycle(nodes);
  if (cycle) throw cycleError(cycle);
  const ns = [...nodes]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((n) => ({ ...n, deps: n.deps.filter((d) => d !== n.id) }));
  const byId = new Map(ns.map((n) => [n.id, n]));
  const adj = new Map(ns.map((n) => [n.id, new Set<string>()]));
  for (const { pair } of conflicts) {
    if (!byId.has(pair[0]) || !byId.has(pair[1])) continue;
    adj.get(pair[0])!.add(pair[1]);
    adj.get(pair[1])!.add(pair[0]);
  }
  const ctx: Ctx = { nodes: ns, byId, adj, maxParallel: Math.max(1, maxParallel) };
  const a = dsatur(ctx);
  const b = rounds(ctx);
  const best = b.length < a.length ? b : a;
  const chosen = exact(ctx, best) ?? best;
  // Inside a batch the order is free: the issue with the longest chain behind it first, so that
  // continuous dispatch (`jitp next`, first free issue in batch order) starts it first.
  const u = urgency(ctx);
  return chosen.map((g) => [...g].sort((x, y) => u.get(y)! - u.get(x)! || (x < y ? -1 : x > y ? 1 : 0)));
}

/** Search steps for the exact pass; small selections are proved optimal, big ones keep the heuristic. */
export const EXACT_BUDGET = 200_000;

/**
 * Tries every batch count from a lower bound up to one below the heuristic's, by
 * backtracking in a dependency-respecting order. Returns a better batching or undefined.
 */
function exact(ctx: Ctx, heuristic: string[][]): string[][] | undefined {
  const n = ctx.nodes.length;
  if (n === 0) return undefined;
  const depth = longestChain(ctx);
  const reds = ctx.nodes.filter((v) => v.tier === 'RED').length;
  const crit = ctx.nodes.filter((v) => v.tier === 'CRITICAL').length;
  const lower = Math.max(
    Math.ceil(n / ctx.maxParallel),
    Math.max(...depth.values()),
    crit + (reds > 0 ? reds : n > crit ? 1 : 0),
  );
  if (lower >= heuristic.length) return undefined;
  // Topological order, most constrained first among the ready ones.
  const order: BatchNode[] = [];
  const placed = new Set<string>();
  while (order.length < n) {
    const ready = ctx.nodes.filter((v) => !placed.has(v.id) && v.deps.every((d) => placed.has(d) || !ctx.byId.has(d)));
    ready.sort(
      (x, y) =>
        ctx.adj.get(y.id)!.size - ctx.adj.get(x.id)!.size ||
        depth.get(y.id)! - depth.get(x.id)! ||
        (x.id < y.id ? -1 : 1),
    );
    order.push(ready[0]!);
    placed.add(ready[0]!.id);
  }
  let steps = 0;
  for (let k = lower; k < heuristic.length; k++) {
    const classes: string[][] = Array.from({ length: k }, () => []);
    const colour = new Map<string, number>();
    const go = (i: number): boolean | undefined => {
      if (i === n) return true;
      if (++steps > EXACT_BUDGET) return undefined;
      const v = order[i]!;
      // Dependants need later batches: leave room for the longest chain after v.
      const floor = Math.max(-1, ...v.deps.filter((d) => ctx.byId.has(d)).map((d) => colour.get(d)!)) + 1;
      const ceil = k - depth.get(v.id)!;
      for (let c = floor; c <= ceil; c++) {
        if (!canJoin(ctx, v, classes[c]!)) continue;
        classes[c]!.push(v.id);
        colour.set(v.id, c);
        const r = go(i + 1);
        if (r !== false) return r;
        classes[c]!.pop();
        colour.delete(v.id);
      }
      return false;
    };
    const r = go(0);
    if (r === undefined) return undefined;
    if (r) return classes.filter((c) => c.length > 0);
  }
  return undefined;
}

/** Checks a batching against every rule; returns the violations (used by tests and --json consumers). */
export function checkBatches(
  batches: string[][],
  nodes: readonly BatchNode[],
  conflicts: ReadonlyArray<{ pair: [string, string] }>,
  maxParallel: number,
): string[] {
  const where = new Map<string, number>();
  batches.forEach((b, i) => b.forEach((id) => where.set(id, i)));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const bad: string[] = [];
  for (const n of nodes) {
    if (!where.has(n.id)) bad.push(`${n.id} is in no batch`);
    for (const d of n.deps)
      if (byId.has(d) && !(where.get(d)! < where.get(n.id)!))
        bad.push(`${n.id} runs no later than its dependency ${d}`);
  }
  batches.forEach((b, i) => {
    if (b.length > maxParallel) bad.push(`batch ${i + 1} has ${b.length} > ${maxParallel}`);
    const tiers = b.map((id) => byId.get(id)?.tier);
    if (b.length > 1 && tiers.includes('CRITICAL')) bad.push(`batch ${i + 1} has a CRITICAL issue with others`);
    if (tiers.filter((t) => t === 'RED').length > 1) bad.push(`batch ${i + 1} has two RED issues`);
  });
  for (const { pair } of conflicts)
    if (where.has(pair[0]) && where.get(pair[0]) === where.get(pair[1]))
      bad.push(`${pair[0]} and ${pair[1]} conflict but share batch ${where.get(pair[0])! + 1}`);
  return bad;
}
