// The remote's own record of every ref transaction, in the order it committed them. A
// `reference-transaction` hook in the bare repository appends each transaction when it is
// "prepared" (all its ref locks taken, old values checked: two transactions on one ref are
// serialised right here) and again when it is committed or aborted. Independent of jitp: it
// sees what receive-pack did, whatever the racers report.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateTextOf } from '../../src/remote/layout.js';
import { git } from '../support/git.js';

export interface RefChange {
  old: string;
  next: string;
  ref: string;
}

export interface Tx {
  pid: string;
  changes: RefChange[];
}

/** Installs the hook; returns the log path. Auto-gc is off so refs stay loose (see readTxLog). */
export function installTxLog(bare: string): string {
  const log = join(bare, 'tx.log');
  const hook = join(bare, 'hooks', 'reference-transaction');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    hook,
    `#!/bin/sh
rec="$1 $PPID
$(cat)
."
if command -v flock >/dev/null 2>&1; then
  flock ${q(`${log}.lock`)} sh -c 'printf "%s\\n" "$1" >> "$2"' _ "$rec" ${q(log)}
else
  printf '%s\\n' "$rec" >> ${q(log)}
fi
`,
  );
  chmodSync(hook, 0o755);
  git(bare, 'config', 'receive.autogc', 'false');
  git(bare, 'config', 'gc.auto', '0');
  return log;
}

const ZERO = /^0+$/;

/**
 * Committed transactions in the order they were prepared. Each receive-pack runs its
 * transactions one after another, so per process a "prepared" record is followed by its
 * "committed" or "aborted" one (a transaction that could not take its locks is only
 * "aborted"); anything else (a nested packed-refs transaction, which only
 * happens when refs are packed) is reported instead of guessed at.
 */
export function readTxLog(log: string): Tx[] {
  if (!existsSync(log)) return [];
  const records = readFileSync(log, 'utf8')
    .split('\n.\n')
    .filter((r) => r.trim());
  const open = new Map<string, number>();
  const order: Array<{ tx: Tx; done?: 'committed' | 'aborted' }> = [];
  for (const r of records) {
    const [head = '', ...lines] = r.replace(/^\n+/, '').split('\n');
    const [state, pid = ''] = head.split(' ');
    const changes = lines.filter(Boolean).map((l) => {
      const [old = '', next = '', ref = ''] = l.split(' ');
      return { old: ZERO.test(old) ? '' : old, next: ZERO.test(next) ? '' : next, ref };
    });
    if (state === 'prepared') {
      if (open.has(pid)) throw new Error(`transaction log: nested transaction in receive-pack ${pid}`);
      open.set(pid, order.push({ tx: { pid, changes } }) - 1);
    } else if (state === 'committed' || state === 'aborted') {
      const i = open.get(pid);
      if (i === undefined) {
        // git reports a transaction that failed to take its locks as aborted, never prepared.
        if (state === 'aborted') continue;
        throw new Error(`transaction log: committed without prepared in ${pid}`);
      }
      order[i]!.done = state;
      open.delete(pid);
    }
  }
  return order.filter((o) => o.done === 'committed').map((o) => o.tx);
}

/** Reads the lease state a commit carries in the bare repository, with a cache (commits never change). */
export function stateReader(bare: string): (commit: string) => {
  version: number;
  leases: Array<{ id: string; issueId: string; paths: string[]; token: number; bindSecret?: string }>;
  leaseCommits: Record<string, string>;
} {
  const cache = new Map<string, ReturnType<ReturnType<typeof stateReader>>>();
  return (commit) => {
    let s = cache.get(commit);
    if (!s) {
      s = JSON.parse(
        stateTextOf(execFileSync('git', ['cat-file', 'commit', commit], { cwd: bare, encoding: 'utf8' })) ?? 'null',
      );
      cache.set(commit, s!);
    }
    return s!;
  };
}
