// Command registry: full command path -> lazy module. Lazy so `jitp claim list` does not
// load the planner, the merge queue or the hook code. Each module exports `command`.
import type { CommandSpec } from '../command.js';

type Loader = () => Promise<{ command: CommandSpec }>;

export const commands: Record<string, Loader> = {
  // -- foundation
  version: () => import('./version.js'),
  config: () => import('./config.js'),

  // -- claims (issue: lease store)
  'claim acquire': () => import('./claim-acquire.js'),
  'claim renew': () => import('./claim-renew.js'),
  'claim release': () => import('./claim-release.js'),
  'claim extend': () => import('./claim-extend.js'),
  'claim evict': () => import('./claim-evict.js'),
  'claim wait': () => import('./claim-wait.js'),
  'claim list': () => import('./claim-list.js'),
  'claim status': () => import('./claim-status.js'),
  doctor: () => import('./doctor.js'),

  // -- remote leases (issue 7)
  'claim sync': () => import('./claim-sync.js'),

  // -- hooks
  'install-git-hooks': () => import('./install-git-hooks.js'),
  'hook pre-commit': () => import('./hook-pre-commit.js'),
  'hook check': () => import('./hook-check.js'),

  // -- issues and planning
  issues: () => import('./issues.js'),
  plan: () => import('./plan.js'),
  next: () => import('./next.js'),

  // -- prompts, commits, verify
  prompt: () => import('./prompt.js'),
  'commit-message': () => import('./commit-message.js'),
  verify: () => import('./verify.js'),
  'issue done': () => import('./issue-done.js'),
  finish: () => import('./finish.js'),

  // -- worktrees, merge, spawn, status
  'worktree add': () => import('./worktree-add.js'),
  'worktree list': () => import('./worktree-list.js'),
  'worktree remove': () => import('./worktree-remove.js'),
  'worktree commit': () => import('./worktree-commit.js'),
  merge: () => import('./merge.js'),
  cleanup: () => import('./cleanup.js'),
  status: () => import('./status.js'),
  init: () => import('./init.js'),
  'batch load': () => import('./batch-load.js'),
  spawn: () => import('./spawn.js'),
  retry: () => import('./retry.js'),
};
