// A hand edit of the lease store's state, as tests make them: the state as readers see it (snapshot
// and delta, src/store/local/state-delta.ts), changed by `f`, written whole as one plain document
// (schema 1, no index) of a generation past the delta's, so that it alone counts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lease } from '../../src/core/model.js';
import { readStateFile } from '../../src/store/local/snapshot-read.js';

export function editState(storeDir: string, f: (leases: Lease[]) => Lease[]): void {
  const st = readStateFile(storeDir)!;
  const doc = { schemaVersion: 1, version: st.version, logSize: st.logSize, gen: (st.gen ?? 0) + 1 };
  writeFileSync(join(storeDir, 'state.json'), JSON.stringify({ ...doc, leases: f(st.leases) }));
}

/** The text of the store's state files (snapshot and delta): what a test greps for an id. */
export function stateText(storeDir: string): string {
  const read = (f: string) => (existsSync(join(storeDir, f)) ? readFileSync(join(storeDir, f), 'utf8') : '');
  return `${read('state.json')}\n${read('state.delta.json')}`;
}
