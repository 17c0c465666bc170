// The lexical retrieval experiment of the plan evaluations (bench/eval/lexical.ts): BM25 over a
// real git tree, soft overlap of two rankings, and the operating curve of a pair score.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { curve, lexicalIndex, rankFiles, softOverlap } from '../../bench/eval/lexical.js';

describe('lexicalIndex and rankFiles on a real tree', () => {
  it('ranks the file that holds the rare words first, and skips binary and ignored files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jitp-lex-'));
    try {
      const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8' }).trim();
      git('init', '-q');
      mkdirSync(join(dir, 'src'));
      writeFileSync(
        join(dir, 'src/editor.c'),
        '/* spawn the editor on a temporary crontab */\nint edit_crontab(void) { return spawn_editor(tmpfile); }\n',
      );
      writeFileSync(
        join(dir, 'src/log.c'),
        '/* syslog messages */\nvoid log_it(const char *msg) { syslog(LOG_INFO, msg); }\n',
      );
      writeFileSync(join(dir, 'src/main.c'), 'int main(void) { log_it("start"); return 0; }\n');
      writeFileSync(
        join(dir, 'logo.png'),
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0x65, 0x64, 0x69, 0x74, 0x6f, 0x72]),
      );
      writeFileSync(join(dir, 'vendor.c'), 'int editor_editor_editor_tmpfile;\n');
      git('add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
      const ix = lexicalIndex(dir, 'HEAD', ['vendor.c']);
      expect(ix.files.sort()).toEqual(['src/editor.c', 'src/log.c', 'src/main.c']);
      const ranked = rankFiles(ix, 'Improve waiting for the spawned editor on tmpfiles');
      expect(ranked[0]!.path).toBe('src/editor.c');
      expect(ranked.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 9);
      expect(rankFiles(ix, 'words nowhere in this tree')).toEqual([]);
      expect(rankFiles(ix, 'syslog message on start').map((x) => x.path)[0]).toBe('src/log.c');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('softOverlap', () => {
  it.each([
    { a: [{ path: 'x', share: 1 }], b: [{ path: 'x', share: 1 }], want: 1 },
    { a: [{ path: 'x', share: 1 }], b: [{ path: 'y', share: 1 }], want: 0 },
    {
      a: [
        { path: 'x', share: 0.5 },
        { path: 'y', share: 0.5 },
      ],
      b: [
        { path: 'y', share: 0.4 },
        { path: 'z', share: 0.6 },
      ],
      want: 0.2,
    },
    { a: [], b: [{ path: 'y', share: 1 }], want: 0 },
  ])('$a × $b = $want', ({ a, b, want }) => {
    expect(softOverlap(a, b)).toBeCloseTo(want, 12);
    expect(softOverlap(b, a)).toBeCloseTo(want, 12);
  });
});

describe('curve', () => {
  const p = (truth: boolean, score: number) => ({ truth, score });
  it('a score that separates perfectly: AUC 1, full accuracy at full recall', () => {
    const c = curve([p(true, 0.9), p(true, 0.8), p(false, 0.1), p(false, 0.2)]);
    expect(c.auc).toBe(1);
    expect(c.atRecall).toEqual({ recallGoal: 0.85, recall: 1, precision: 1, accuracy: 1 });
  });
  it('a reversed score: AUC 0, and recall 85% only by flagging every pair', () => {
    const c = curve([p(true, 0.1), p(true, 0.2), p(false, 0.8), p(false, 0.9)]);
    expect(c.auc).toBe(0);
    expect(c.atRecall).toEqual({ recallGoal: 0.85, recall: 1, precision: 0.5, accuracy: 0.5 });
  });
  it('ties count half and are never split by a threshold', () => {
    const c = curve([p(true, 0.5), p(false, 0.5), p(false, 0.5), p(true, 0.9)]);
    // positives 0.9 and 0.5; negatives 0.5, 0.5: 2 wins + 2 half-wins of 4 comparisons.
    expect(c.auc).toBe(0.75);
    // Recall 85% needs the 0.5 group, which brings both negatives with it.
    expect(c.atRecall).toEqual({ recallGoal: 0.85, recall: 1, precision: 0.5, accuracy: 0.5 });
    expect(curve([p(true, 0.5), p(false, 0.5), p(false, 0.5), p(true, 0.9)], 0.5).atRecall).toEqual({
      recallGoal: 0.5,
      recall: 0.5,
      precision: 1,
      accuracy: 0.75,
    });
  });
  it('no curve without both kinds of pairs', () => {
    expect(curve([p(true, 1)])).toEqual({ pairs: 1, conflicts: 1, auc: null, atRecall: null });
    expect(curve([])).toEqual({ pairs: 0, conflicts: 0, auc: null, atRecall: null });
  });
});
