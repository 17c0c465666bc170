// npm run bench:plan: `jitp plan` for 100 issues over a generated repository of 20,000 files
// and 2,000 commits, next to its floor: the same batched git grep and git log run directly.
// The repository tracks its work in a jit store (1,000 done issues, each named by two commits'
// `jit: <id>` trailers), so the past-issues rule reads and indexes them as it would for real.
// The repository is generated once with git fast-import and cached under the OS temp dir.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { identifiersOf } from '../src/plan/plan.js';
import { grepArgs, logArgs } from '../src/plan/repo-facts.js';

const FILES = 20_000;
const COMMITS = 2_000;
const ISSUES = 100;
const RUNS = 5;
const VERSION = 'v3';
const PAST_ISSUES = 1_000;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(tmpdir(), `jitp-bench-plan-${VERSION}-${FILES}-${COMMITS}`);
const repo = join(cache, 'repo');

// Deterministic pseudo-random numbers so every run plans the same repository.
let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;

const MODULES = 200;
const KINDS = ['user', 'order', 'cart', 'auth', 'mail', 'report', 'queue', 'cache'];
const fileOf = (k: number) => `src/mod${k % MODULES}/${KINDS[k % 8]}${Math.floor(k / MODULES)}.ts`;
const fnOf = (k: number) => `handle${['User', 'Order', 'Cart', 'Auth', 'Mail', 'Report', 'Queue', 'Cache'][k % 8]}${k}`;

function generate() {
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  const parts: string[] = [];
  const blob = (content: string) => `data ${Buffer.byteLength(content)}\n${content}\n`;
  const content = (k: number, rev: number) =>
    `import { ${fnOf((k * 7 + 3) % FILES)} } from '../mod${((k * 7 + 3) % FILES) % MODULES}/x';\n\nexport function ` +
    `${fnOf(k)}(input: string): string {\n  // revision ${rev}\n  return ${fnOf((k * 7 + 3) % FILES)}(input) + ` +
    `'${k}';\n}\n`;
  let when = 1_700_000_000;
  const commit = (msg: string, body: string[]) => {
    when += 600;
    parts.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${when} +0000\n${blob(msg)}${body.join('')}`,
    );
  };
  const first: string[] = [];
  for (let k = 0; k < FILES - 6; k++) first.push(`M 100644 inline ${fileOf(k)}\n${blob(content(k, 0))}`);
  for (const f of ['package.json', 'package-lock.json', 'README.md', 'src/index.ts', 'CHANGELOG.md', 'tsconfig.json'])
    first.push(`M 100644 inline ${f}\n${blob(`{"name":"bench","scripts":{"test":"x"}}\n`)}`);
  // Done issues of a jit store, each worked by two of the later commits.
  const uuid = (i: number) => {
    const h = (i * 2654435761 + 0x9e3779b9).toString(16).padStart(8, '0').slice(-8);
    return `${h}-0000-4000-8000-${String(i).padStart(12, '0')}`;
  };
  const issueMod = (i: number) => (i * 37) % MODULES;
  for (let i = 0; i < PAST_ISSUES; i++) {
    const k = issueMod(i);
    const json = JSON.stringify({
      id: uuid(i),
      title: `${KINDS[k % 8]} module ${k}: fix ${fnOf(k)} edge cases`,
      description: `The ${KINDS[k % 8]} handling in module ${k} fails on empty input; ${fnOf(k + MODULES)} too.`,
      state: 'done',
      priority: 'normal',
      dependencies: [],
    });
    first.push(`M 100644 inline .jit/issues/${uuid(i)}.json\n${blob(json)}`);
  }
  commit('initial import\n', first);
  // Later commits: small changes clustered by module (so co-change exists), a changelog often.
  for (let c = 1; c < COMMITS; c++) {
    const issue = Math.floor(c / 2) % PAST_ISSUES;
    const mod = c < 2 * PAST_ISSUES ? issueMod(issue) : Math.floor(rnd() * MODULES);
    const n = 1 + Math.floor(rnd() * 5);
    const body: string[] = [];
    const touched = new Set<number>();
    for (let i = 0; i < n; i++) touched.add(mod + MODULES * Math.floor(rnd() * 12));
    for (const k of touched) body.push(`M 100644 inline ${fileOf(k)}\n${blob(content(k, c))}`);
    if (rnd() < 0.3) body.push(`M 100644 inline CHANGELOG.md\n${blob(`change ${c}\n`)}`);
    commit(c < 2 * PAST_ISSUES ? `change ${c}\n\njit: ${uuid(issue).slice(0, 8)}\n` : `change ${c}\n`, body);
  }
  const r = spawnSync('git', ['fast-import', '--quiet'], { cwd: repo, input: parts.join('') });
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr}`);
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: repo });
  // 100 issues, each naming a few files and functions of one or two modules.
  const tasks = [];
  for (let i = 0; i < ISSUES; i++) {
    const a = Math.floor(rnd() * FILES * 0.9);
    const b = Math.floor(rnd() * FILES * 0.9);
    tasks.push({
      id: `b${i + 1}`,
      title: `Fix ${fnOf(a)} edge case`,
      instructions:
        `When \`${fnOf(a)}()\` gets an empty string it throws. Check ${fileOf(b)} too, and the caller ` +
        `\`${fnOf(pick([a + 1, a + 2, b]))}\`.\n\n## Acceptance Criteria\n- [ ] ${fnOf(a)} handles ''\n- [ ] tests ` +
        `in test/mod${a % MODULES}/new${i}.test.ts\n`,
    });
  }
  writeFileSync(join(cache, 'batch.yaml'), stringify({ tasks }));
  writeFileSync(join(cache, 'ready'), VERSION);
}

function time(cmd: string, args: string[], cwd: string, input?: string): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    p.stdout.resume();
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) =>
      code === 0 || (cmd === 'git' && code === 1)
        ? res(performance.now() - t0)
        : rej(new Error(`${cmd} ${args[0]} exited ${code}: ${err.slice(0, 500)}`)),
    );
    p.stdin.end(input ?? '');
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (!existsSync(join(cache, 'ready')) || readFileSync(join(cache, 'ready'), 'utf8') !== VERSION) {
  const t0 = performance.now();
  process.stderr.write(`generating ${FILES} files / ${COMMITS} commits in ${cache}…\n`);
  generate();
  process.stderr.write(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s (cached for next runs)\n`);
}
const dist = join(cache, 'dist');
execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--out', dist, '--quiet'], { cwd: root });

const batch = join(cache, 'batch.yaml');
const { parse } = await import('yaml');
const tasks = (parse(readFileSync(batch, 'utf8')) as { tasks: Array<{ title: string; instructions: string }> }).tasks;
const idents = identifiersOf(tasks.map((t) => ({ title: t.title, description: t.instructions })));
const ignore = ['.jit/**', '.jit-parallel/tasks/**'];
const plans: number[] = [];
const floors: number[] = [];
let out = '';
for (let r = 0; r < RUNS; r++) {
  floors.push(
    Math.max(
      ...(await Promise.all([
        time('git', ['-c', 'core.quotePath=false', ...grepArgs(ignore)], repo, idents.join('\n') + '\n'),
        time('git', ['-c', 'core.quotePath=false', ...logArgs(500)], repo),
      ])),
    ),
  );
  const t0 = performance.now();
  const p = spawnSync(process.execPath, [join(dist, 'jitp.mjs'), 'plan', '--batch', batch, '--json', '-C', repo], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  plans.push(performance.now() - t0);
  if (p.status !== 0) throw new Error(`jitp plan failed: ${p.stderr}${p.stdout.slice(0, 500)}`);
  out = p.stdout;
}
const plan = JSON.parse(out) as { issues: unknown[]; conflicts: unknown[]; batches: unknown[][] };
const m = median(plans);
const f = median(floors);
console.log(`repo: ${FILES} files, ${COMMITS} commits, ${PAST_ISSUES} done jit issues named by them (${cache})`);
console.log(
  `plan: ${plan.issues.length} issues, ${idents.length} identifiers in one git grep, ${plan.conflicts.length} ` +
    `conflicts, ${plan.batches.length} batches`,
);
console.log(`jitp plan (node dist/jitp.mjs, wall, median of ${RUNS}): ${m.toFixed(0)} ms   [goal < 2000 ms]`);
console.log(`floor: git grep + git log -n500 run concurrently:       ${f.toFixed(0)} ms`);
console.log(`ratio: ${(m / f).toFixed(2)}x the floor`);
