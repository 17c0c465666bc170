// The lease index of a large local store (store-access.ts, VIEW_MIN_BYTES), loaded only for one:
// each question parses only the leases naming its paths (plus those naming globs or worktrees,
// which a path search cannot find), so an edit's cost does not grow with the number of leases.
import { lazyLeaseIndex, type GlobEngine, type LeaseIndex } from '../../core/lease-index-core.js';
import { boundAgents } from '../../core/hook-decision.js';
import { DEFAULT_AGENT_ID } from '../../core/default-agent.js';
import type { Lease } from '../../core/model.js';
import { viewOfBytes } from '../../store/local/state-view.js';
import type { HookInput } from './contract.js';
import type { LargeState } from './store-access.js';

export interface LargeIndex {
  index: LeaseIndex;
  /** The leases that can be the caller's (binding-resolve.ts's `live`). */
  actorLeases(input: HookInput, env: NodeJS.ProcessEnv): readonly Lease[];
}

/**
 * `globEngine`: the caller's (runtime/glob-engine.ts hookGlobEngine), passed in because this is a
 * bundle of its own (dist/lazy/large-store.cjs) and would not share that module's loader.
 */
export async function largeStoreIndex(
  st: LargeState,
  nowMs: number,
  all: () => readonly Lease[],
  globEngine: (mayNeed: boolean) => Promise<GlobEngine | undefined>,
): Promise<LargeIndex> {
  const view = viewOfBytes(st.buf, st.file, st.header, st.delta);
  // The header says whether any lease may name a glob (no lease parsed for that).
  const engine = await globEngine(view.mayHaveGlobs());
  const live = (now: number) => all().filter((l) => Date.parse(l.expiresAt) > now);
  const index = lazyLeaseIndex({ select: view.select, all: live, anyLive: view.anyLive }, nowMs, engine);
  return {
    index,
    actorLeases(input, env) {
      // Leases naming the caller's agent ids, plus the worktree-bound ones. A sub-agent not yet
      // bound in the store binds through a lease named only in its transcript, which a search
      // cannot find: it is given them all.
      const agentId = typeof input.agent_id === 'string' && input.agent_id ? input.agent_id : undefined;
      const session = typeof input.session_id === 'string' ? [`claude:session-${input.session_id}`] : [];
      const ids = agentId ? [agentId] : [env.JIT_AGENT_ID || DEFAULT_AGENT_ID, ...session];
      const found = view.select({ strings: ids }, nowMs);
      if (agentId && !found.some((l) => boundAgents(l).includes(agentId))) return index.leases;
      return found;
    },
  };
}
