// The commented `.jit-parallel.yaml` that `jitp init` writes: every key with its default, each
// commented out, so the file parses to exactly the defaults and a later default change still
// applies until someone uncomments a line. test/cli/init.test.ts checks that every key of the
// schema is here and that uncommenting every value line gives the schema's defaults.

export const CONFIG_TEMPLATE = `# jit-parallel configuration. Every key is optional; each line below shows the default.
# Uncomment a line to change it. \`jitp config\` prints what applies and where it comes from.

# Edit-time enforcement of leases: strict (deny edits outside the lease), extend (add the
# file to the lease when nobody else holds it), warn (only warn), off.
# policy: extend

# What the hooks do when the lease store or their input cannot be read: open (allow) or closed.
# failure: open

# Default lease time to live: seconds, or 90s, 30m, 2h, 1d.
# ttl: 1800

# Issue source: auto (the jit store in .jit/ when present, else the task folder when present,
# else GitHub issues when origin is on GitHub and gh is installed, else task files), jit,
# tasks or github.
# source: auto

# Folder of task files (*.md with front matter: id, title, state, depends_on, files, risk).
# tasksDir: .jit-parallel/tasks

# GitHub issues through the gh CLI (source: github).
# github:
#   repo: null    # owner/name passed to gh as --repo; null: gh picks it from the git remotes
#   limit: 500    # most open issues read per command

# Git remote for leases shared across machines; null keeps leases local to this clone.
# remote: null
# remoteMirrorMaxAge: 60
# remoteTimeout: 20

# The planner.
# plan:
#   hotFiles: []          # files most issues touch (lockfiles, registries): never run in parallel
#   ignore: []            # globs the planner never predicts
#   historyDepth: 500     # commits of history read for co-change
#   maxFilesPerIssue: 40
#   maxParallel: 4

# The project's test command (null: detected from package.json, Cargo.toml, ...).
# test:
#   command: null

# Commit messages.
# commit:
#   coAuthor: "Claude <noreply@anthropic.com>"   # null: no Co-Authored-By trailer
#   conventional: false

# Worktree mode.
# worktree:
#   dir: "../{repo}.worktrees"      # {repo}: the repository folder's name; relative to the root
#   branch: "jit/{short}-{slug}"    # also {id}, {base}
#   include: []                     # extra untracked files to copy (besides .worktreeinclude)
#   postCreate: null                # shell command run in each new worktree
#   base: HEAD

# The merge queue (jitp merge).
# merge:
#   strategy: consolidated          # or individual (one pull request per branch)
#   test: null                      # test command between merges (null: test.command, else detected)

# Headless agents (jitp spawn).
# spawn:
#   maxParallel: 4
#   agentCmd: null
`;
