// Independent reading of what the remote actually committed: walks refs/jit-parallel/index
// back through the `previous:` links of its commits in the bare repository itself.
import { git } from '../support/git.js';
import { INDEX_REF } from '../../src/remote/layout.js';
import type { Lease } from '../../src/store/types.js';

export interface ChainState {
  commit: string;
  version: number;
  leases: Lease[];
}

export function readChain(bare: string): ChainState[] {
  const out: ChainState[] = [];
  let id: string | undefined = git(bare, 'rev-parse', INDEX_REF);
  while (id) {
    const state = JSON.parse(git(bare, 'show', `${id}:state.json`)) as { version: number; leases: Lease[] };
    out.push({ commit: id, version: state.version, leases: state.leases });
    const msg = git(bare, 'cat-file', 'commit', id);
    const m = /^previous: ([0-9a-f]{40,64})$/m.exec(msg);
    id = m?.[1];
  }
  return out.reverse();
}
