// The lease index with the glob engine bound (see lease-index-core.ts for how it works).
import { globsOverlap, matches } from './globs.js';
import { buildLeaseIndexWith, type LeaseIndex } from './lease-index-core.js';
import type { Lease } from './model.js';

export type { LeaseIndex } from './lease-index-core.js';

export const buildLeaseIndex = (leases: readonly Lease[], nowMs: number): LeaseIndex =>
  buildLeaseIndexWith(leases, nowMs, { matches, globsOverlap });
