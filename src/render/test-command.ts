// Which command runs a project's tests, decided from facts about the repository's top
// folder. Pure: the adapter (test-command-fs.ts) gathers the facts.

/** What the repository's top folder holds that says how its tests run (not the planner's RepoFacts). */
export interface ProjectFiles {
  /** Names of the files at the repository root. */
  files: string[];
  /** Parsed package.json, when present and valid. */
  packageJson?: { scripts?: Record<string, unknown>; packageManager?: unknown } | null;
  /** Makefile text, when present. */
  makefile?: string | null;
  /** pyproject.toml text, when present. */
  pyproject?: string | null;
  /** setup.cfg text, when present. */
  setupCfg?: string | null;
  /** composer.json, when present. */
  composerJson?: { scripts?: Record<string, unknown> } | null;
}

export interface TestCommand {
  command: string;
  /** Why this one: `config`, `package.json scripts.test`, `Cargo.toml` … */
  source: string;
}

// `npm init` writes this placeholder; it is not a test suite.
const NPM_PLACEHOLDER = /no test specified/;

function jsManager(facts: ProjectFiles, has: (f: string) => boolean): string {
  const pm = typeof facts.packageJson?.packageManager === 'string' ? facts.packageJson.packageManager : '';
  for (const name of ['pnpm', 'yarn', 'bun', 'npm']) if (pm.startsWith(`${name}@`)) return name;
  if (has('pnpm-lock.yaml')) return 'pnpm';
  if (has('bun.lockb') || has('bun.lock')) return 'bun';
  if (has('yarn.lock')) return 'yarn';
  return 'npm';
}

function makeHasTarget(makefile: string, target: string): boolean {
  return new RegExp(`^${target}\\s*:(?!=)`, 'm').test(makefile);
}

export function detectTestCommand(facts: ProjectFiles, configured?: string | null): TestCommand | null {
  if (configured && configured.trim()) return { command: configured.trim(), source: 'config test.command' };
  const set = new Set(facts.files);
  const has = (f: string) => set.has(f);

  const script = facts.packageJson?.scripts?.test;
  if (typeof script === 'string' && script.trim() && !NPM_PLACEHOLDER.test(script)) {
    const pm = jsManager(facts, has);
    return { command: pm === 'bun' ? 'bun run test' : `${pm} test`, source: 'package.json scripts.test' };
  }
  if (has('deno.json') || has('deno.jsonc'))
    return { command: 'deno test', source: has('deno.json') ? 'deno.json' : 'deno.jsonc' };
  if (has('Cargo.toml')) return { command: 'cargo test', source: 'Cargo.toml' };
  if (has('go.mod')) return { command: 'go test ./...', source: 'go.mod' };
  if (has('tox.ini')) return { command: 'tox', source: 'tox.ini' };
  if (has('noxfile.py')) return { command: 'nox', source: 'noxfile.py' };
  const pytestConfigured =
    has('pytest.ini') ||
    has('conftest.py') ||
    /^\[tool\.pytest/m.test(facts.pyproject ?? '') ||
    /^\[tool:pytest\]/m.test(facts.setupCfg ?? '');
  if (pytestConfigured) {
    const source = has('pytest.ini')
      ? 'pytest.ini'
      : has('conftest.py')
        ? 'conftest.py'
        : facts.pyproject && /^\[tool\.pytest/m.test(facts.pyproject)
          ? 'pyproject.toml'
          : 'setup.cfg';
    return { command: 'python -m pytest', source };
  }
  if (facts.makefile && makeHasTarget(facts.makefile, 'test')) return { command: 'make test', source: 'Makefile' };
  if (facts.makefile && makeHasTarget(facts.makefile, 'check')) return { command: 'make check', source: 'Makefile' };
  if (has('gradlew')) return { command: './gradlew test', source: 'gradlew' };
  if (has('build.gradle') || has('build.gradle.kts'))
    return { command: 'gradle test', source: has('build.gradle') ? 'build.gradle' : 'build.gradle.kts' };
  if (has('pom.xml')) return { command: has('mvnw') ? './mvnw test' : 'mvn test', source: 'pom.xml' };
  if (has('mix.exs')) return { command: 'mix test', source: 'mix.exs' };
  if (has('build.sbt')) return { command: 'sbt test', source: 'build.sbt' };
  if (has('Package.swift')) return { command: 'swift test', source: 'Package.swift' };
  if (typeof facts.composerJson?.scripts?.test === 'string')
    return { command: 'composer test', source: 'composer.json scripts.test' };
  if (has('Rakefile') && has('Gemfile')) return { command: 'bundle exec rake test', source: 'Rakefile' };
  if (has('pyproject.toml') || has('setup.py'))
    return { command: 'python -m pytest', source: has('pyproject.toml') ? 'pyproject.toml' : 'setup.py' };
  if (has('CMakeLists.txt')) return { command: 'ctest --test-dir build', source: 'CMakeLists.txt' };
  return null;
}
