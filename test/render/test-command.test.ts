import { describe, expect, test } from 'vitest';
import { detectTestCommand, type ProjectFiles } from '../../src/render/test-command.js';

const F = (files: string[], extra: Partial<ProjectFiles> = {}): ProjectFiles => ({ files, ...extra });
const pkg = (test?: string, packageManager?: string) => ({
  scripts: test === undefined ? {} : { test },
  ...(packageManager ? { packageManager } : {}),
});

const CASES: [string, ProjectFiles, string | null, string | null][] = [
  ['npm', F(['package.json', 'package-lock.json'], { packageJson: pkg('vitest run') }), null, 'npm test'],
  ['pnpm by lock file', F(['package.json', 'pnpm-lock.yaml'], { packageJson: pkg('jest') }), null, 'pnpm test'],
  ['yarn by lock file', F(['package.json', 'yarn.lock'], { packageJson: pkg('jest') }), null, 'yarn test'],
  ['bun by lock file', F(['package.json', 'bun.lock'], { packageJson: pkg('bun test') }), null, 'bun run test'],
  [
    'packageManager field wins',
    F(['package.json', 'yarn.lock'], { packageJson: pkg('jest', 'pnpm@9.1.0') }),
    null,
    'pnpm test',
  ],
  [
    'npm init placeholder is not a suite',
    F(['package.json', 'Makefile'], {
      packageJson: pkg('echo "Error: no test specified" && exit 1'),
      makefile: 'test:\n\tcc -o t t.c && ./t\n',
    }),
    null,
    'make test',
  ],
  ['cargo', F(['Cargo.toml', 'src']), null, 'cargo test'],
  ['go', F(['go.mod', 'main.go']), null, 'go test ./...'],
  ['tox before pytest', F(['tox.ini', 'pytest.ini']), null, 'tox'],
  ['pytest.ini', F(['pytest.ini']), null, 'python -m pytest'],
  [
    'pyproject with tool.pytest',
    F(['pyproject.toml'], { pyproject: '[tool.pytest.ini_options]\naddopts="-q"\n' }),
    null,
    'python -m pytest',
  ],
  ['setup.cfg tool:pytest', F(['setup.cfg'], { setupCfg: '[tool:pytest]\n' }), null, 'python -m pytest'],
  ['make test target', F(['Makefile'], { makefile: 'all:\n\techo\ntest: all\n\t./run\n' }), null, 'make test'],
  ['make variable named test is not a target', F(['Makefile'], { makefile: 'test := 1\nall:\n' }), null, null],
  ['gradle wrapper', F(['gradlew', 'build.gradle']), null, './gradlew test'],
  ['gradle', F(['build.gradle.kts']), null, 'gradle test'],
  ['maven wrapper', F(['pom.xml', 'mvnw']), null, './mvnw test'],
  ['maven', F(['pom.xml']), null, 'mvn test'],
  ['mix', F(['mix.exs']), null, 'mix test'],
  ['configured wins over everything', F(['Cargo.toml'], {}), 'cargo nextest run', 'cargo nextest run'],
  ['blank config falls back', F(['go.mod']), '  ', 'go test ./...'],
  ['nothing known', F(['README.md']), null, null],
];

describe('detectTestCommand', () => {
  test.each(CASES)('%s', (_, facts, configured, expected) => {
    expect(detectTestCommand(facts, configured)?.command ?? null).toBe(expected);
  });
  test('source says why', () => {
    expect(detectTestCommand(F(['Cargo.toml']))?.source).toBe('Cargo.toml');
    expect(detectTestCommand(F([]), 'x')?.source).toBe('config test.command');
  });
});
