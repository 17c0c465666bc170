// The git side of remote leases: fetch the index into the clone, read it, and push an atomic
// set of compare-and-set ref updates. Every network call goes through runGit (deadline +
// process-group kill).
import { JitpError } from '../platform/errors.js';
import { gitSync, type GitTask } from '../platform/git.js';
import { runGit, unreachableError, type GitResult } from './git-run.js';
import {
  INDEX_REF,
  REF_ROOT,
  decodeState,
  emptyState,
  mirrorRefRoot,
  stateTextOf,
  type RefUpdate,
  type RemoteState,
} from './layout.js';
import type { RawRead } from './resolve.js';

export interface TransportOptions {
  /** Any directory inside the clone (git runs there). */
  cwd: string;
  remote: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export interface FetchedState {
  /** Commit id of refs/jit-parallel/index on the remote, or '' when there is none yet. */
  indexCommit: string;
  /** Live leases; leaseCommits complete. */
  state: RemoteState;
  /** Commits of leases the index still lists that were released (resolve.ts). */
  released?: string[];
}

export type { RawRead };

/** A ref the push could not update, with git's reason (`stale info`, `atomic push failed`…). */
export interface PushConflict {
  ref: string;
  reason: string;
}

export type PushOutcome = { ok: true } | { ok: false; conflict: PushConflict[] };

// Local bookkeeping off: a lease change must not trigger gc, maintenance or commit-graph work.
// push.gpgSign=false: a user's signed-push setting must not make every lease change ask for a key.
const QUIET_CFG = [
  '-c',
  'push.gpgSign=false',
  '-c',
  'gc.auto=0',
  '-c',
  'maintenance.auto=false',
  '-c',
  'fetch.writeCommitGraph=false',
  '-c',
  'core.fsmonitor=false',
];

// Reasons git gives when a ref moved between our read and our write: a lost race, not an error.
const CAS_REASONS = new RegExp(
  String.raw`stale info|failed to update ref|cannot lock ref|incorrect old value|atomic push failed|fetch first` +
    String.raw`|non-fast-forward|failed to lock`,
  'i',
);

export class RemoteTransport {
  constructor(private readonly opts: TransportOptions) {}

  get remote(): string {
    return this.opts.remote;
  }

  private git(args: string[], what: string): Promise<GitResult> {
    return runGit([...QUIET_CFG, ...args], {
      cwd: this.opts.cwd,
      timeoutMs: this.opts.timeoutMs,
      env: this.opts.env,
      what,
      remote: this.opts.remote,
    });
  }

  /** Local, fast, no network: synchronous; undefined when git says no. */
  private local(args: string[]): string | undefined {
    const task: GitTask<string | undefined> = { args, parse: (r) => (r.code === 0 ? r.stdout : undefined) };
    return gitSync({ cwd: this.opts.cwd, ...(this.opts.env ? { env: this.opts.env } : {}) }, task);
  }

  /**
   * One round trip: fetch every ref under refs/jit-parallel/ (the index and the lease refs, in
   * whatever order the server reads them; resolve.ts deals with that) and read the index.
   */
  async fetch(): Promise<RawRead> {
    const { remote } = this.opts;
    const root = mirrorRefRoot(remote);
    // The glob refspec plus --prune makes a remote without leases a normal, empty answer and
    // drops mirrored refs the remote no longer has (released leases).
    const r = await this.git(
      [
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--no-recurse-submodules',
        '--prune',
        remote,
        `+${REF_ROOT}/*:${root}/*`,
      ],
      `fetching leases from '${remote}'`,
    );
    if (r.code !== 0) {
      // Two processes of one clone fetching at once may collide on the local mirror refs; the
      // objects still arrived and the other fetch wrote values, so reading them is safe (a
      // stale value only makes the next CAS fail and re-read).
      if (!/cannot lock ref|unable to update local ref|Unable to create .*\.lock/i.test(r.stderr))
        throw unreachableError(remote, `fetching leases from '${remote}'`, r.stderr);
    }
    return this.readLocal();
  }

  /** Every ref under refs/jit-parallel/ on the remote, ref -> id (one round trip). */
  async lsRemote(): Promise<Map<string, string>> {
    const r = await this.git(
      ['ls-remote', this.opts.remote, `${REF_ROOT}/*`],
      `listing leases on '${this.opts.remote}'`,
    );
    if (r.code !== 0) throw unreachableError(this.opts.remote, `listing leases on '${this.opts.remote}'`, r.stderr);
    const out = new Map<string, string>();
    for (const line of r.stdout.split('\n')) {
      const [id, ref] = line.split('\t');
      if (id && ref) out.set(ref, id);
    }
    return out;
  }

  /** Reads the last fetched refs and index from the clone (no network). */
  readLocal(): RawRead {
    const root = mirrorRefRoot(this.opts.remote);
    const refs = new Map<string, string>();
    const listed = this.local(['for-each-ref', '--format=%(objectname) %(refname)', `${root}/`]) ?? '';
    for (const line of listed.split('\n')) {
      const sp = line.indexOf(' ');
      if (sp > 0) refs.set(`${REF_ROOT}/${line.slice(sp + 1 + root.length + 1)}`, line.slice(0, sp));
    }
    const id = refs.get(INDEX_REF);
    if (!id) return { indexCommit: '', state: emptyState(), refs };
    return { indexCommit: id, state: this.readStateAt(id), refs };
  }

  readStateAt(commit: string): RemoteState {
    // Format 2: the state is the commit message's last paragraph; format 1: state.json in its tree.
    const raw = this.local(['cat-file', 'commit', commit]);
    const text =
      (raw !== undefined ? stateTextOf(raw) : undefined) ?? this.local(['cat-file', 'blob', `${commit}:state.json`]);
    if (text === undefined) {
      throw new JitpError(
        'E_REMOTE_CORRUPT',
        `${INDEX_REF} on '${this.opts.remote}' (object ${commit.slice(0, 12)}) holds no lease state`,
        {
          hint:
            `someone pushed something else to ${INDEX_REF}; inspect it with \`git fetch ${this.opts.remote} ` +
            `${INDEX_REF} && git show FETCH_HEAD --stat\`; if it is garbage, \`git push ${this.opts.remote} ` +
            `:${INDEX_REF}\` resets the remote leases (holders then acquire again)`,
        },
      );
    }
    try {
      return decodeState(text);
    } catch (e) {
      throw new JitpError(
        'E_REMOTE_CORRUPT',
        `the lease state in ${INDEX_REF} on '${this.opts.remote}' (commit ${commit.slice(0, 12)}) is unreadable: ` +
          `${(e as Error).message}`,
        {
          hint:
            `upgrade jitp if another machine runs a newer one; otherwise \`git push ${this.opts.remote} ` +
            `:${INDEX_REF}\` resets the remote leases (holders then acquire again)`,
        },
      );
    }
  }

  /**
   * One atomic push of compare-and-set updates. A lost race returns {ok:false}; a remote that
   * cannot be reached or refuses custom refs throws.
   */
  async push(updates: RefUpdate[]): Promise<PushOutcome> {
    const { remote } = this.opts;
    // --atomic only when it means something: one ref is all-or-nothing anyway.
    const args = [
      'push',
      '--porcelain',
      ...(updates.length > 1 ? ['--atomic'] : []),
      '--no-verify',
      '--no-recurse-submodules',
    ];
    for (const u of updates) args.push(`--force-with-lease=${u.ref}:${u.old}`);
    args.push(remote);
    for (const u of updates) args.push(u.next ? `${u.next}:${u.ref}` : `:${u.ref}`);
    const r = await this.git(args, `pushing leases to '${remote}'`);
    const lines = r.stdout.split('\n').filter((l) => /^[ +\-*!=]\t/.test(l));
    const rejected = lines.filter((l) => l.startsWith('!'));
    if (r.code === 0 && rejected.length === 0) return { ok: true };
    if (rejected.length > 0) {
      // The server checks each old value under the ref lock; a loser of that race sees every ref
      // of its atomic push fail with "atomic transaction failed" and the cause only on stderr.
      const serverCas =
        /cannot lock ref|but expected|incorrect old value|reference already exists|Unable to create .*\.lock/i.test(
          r.stderr,
        );
      const other = rejected.filter((l) => !CAS_REASONS.test(l) && !(serverCas && /atomic transaction failed/.test(l)));
      if (other.length === 0) {
        return {
          ok: false,
          conflict: rejected.map((l) => {
            const [, refspec = '', summary = ''] = l.split('\t');
            return {
              ref: refspec.slice(refspec.lastIndexOf(':') + 1),
              reason: /\(([^)]*)\)/.exec(summary)?.[1] ?? summary,
            };
          }),
        };
      }
      throw new JitpError(
        'E_REMOTE_REJECTED',
        `remote '${remote}' refused the lease refs: ${other.map((l) => l.split('\t').slice(1).join(' ')).join('; ')}`,
        {
          hint:
            `the remote must accept pushes to ${REF_ROOT}/* (refs outside branches and tags); see ` +
            `docs/remote-leases.md "Hosted remotes"`,
          details: { remote, rejected: other, stderr: r.stderr.slice(-2000) },
        },
      );
    }
    if (/does not support --atomic/i.test(r.stderr)) {
      throw new JitpError(
        'E_REMOTE_NO_ATOMIC',
        `remote '${remote}' does not support atomic pushes, which remote leases need`,
        {
          hint:
            'use a git server of version 2.4 or newer (GitHub, GitLab and Bitbucket all support it), or keep ' +
            'leases local (drop --remote)',
        },
      );
    }
    // receive-pack can die mid-transaction on a lost ref lock; porcelain lines are then missing.
    if (
      CAS_REASONS.test(r.stderr) &&
      !/Could not read from remote|does not appear to be a git repository|unable to access/i.test(r.stderr)
    ) {
      return { ok: false, conflict: [] };
    }
    throw unreachableError(remote, `pushing leases to '${remote}'`, r.stderr);
  }
}
