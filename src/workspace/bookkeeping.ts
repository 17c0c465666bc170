// Files of a checkout that are jitp's and the tracker's bookkeeping, not an issue's work: never
// attributed to an issue, flagged as unleased or committed as part of its change (verify,
// finish and worktree commit leave them out; the tracker's own files are staged on purpose,
// by name, when an issue's state changes).
export const BOOKKEEPING_GLOBS: readonly string[] = [
  '.jit/**',
  '.jit-parallel/reports/**',
  '.jit-parallel/batches/**',
  '.jit-parallel/batch.yaml',
];
