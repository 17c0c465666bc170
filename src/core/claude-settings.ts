// Adds permission rules to a Claude Code settings file (`.claude/settings.json`) without losing
// anything in it. Pure: text in, new text or a located error out.

/** The rule that lets `jitp …` run in the Bash tool without asking (prefix match on the command). */
export const JITP_PERMISSION = 'Bash(jitp:*)';

export type SettingsMerge =
  | { ok: true; text: string; added: string[]; present: string[] }
  | { ok: false; line: number; column: number; message: string };

/** 1-based line and column of a character offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** Where JSON.parse stopped: Node 20 says "at position N", Node 22 "(line L column C)". */
function errorPlace(text: string, err: Error): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(err.message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(err.message);
  if (pos) return lineCol(text, Number(pos[1]));
  // "Unexpected end of JSON input": the end of the text.
  return lineCol(text, text.length);
}

/**
 * `permissions.allow` gains each missing rule; every other key and rule is kept as it was (key
 * order too). The text is rewritten only when a rule was added. An empty file counts as `{}`.
 */
export function addPermissionRules(existing: string, rules: readonly string[]): SettingsMerge {
  let data: unknown = {};
  if (existing.trim()) {
    try {
      data = JSON.parse(existing);
    } catch (e) {
      const at = errorPlace(existing, e as Error);
      return { ok: false, ...at, message: `not valid JSON: ${(e as Error).message.split('\n')[0]}` };
    }
  }
  const bad = (path: string, what: string): SettingsMerge => {
    const key = JSON.stringify(path.split('.').pop());
    const at = existing.indexOf(key);
    return { ok: false, ...lineCol(existing, at < 0 ? 0 : at), message: `${path} ${what}` };
  };
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return { ok: false, line: 1, column: 1, message: 'expected a JSON object ({ … }) at the top level' };
  const obj = data as Record<string, unknown>;
  const perms = obj.permissions ?? {};
  if (perms === null || typeof perms !== 'object' || Array.isArray(perms))
    return bad('permissions', 'must be an object');
  const allow = (perms as Record<string, unknown>).allow ?? [];
  if (!Array.isArray(allow)) return bad('permissions.allow', 'must be a list of rules');
  const present = rules.filter((r) => allow.includes(r));
  const added = rules.filter((r) => !allow.includes(r));
  if (!added.length) return { ok: true, text: existing, added, present };
  obj.permissions = { ...(perms as Record<string, unknown>), allow: [...allow, ...added] };
  return { ok: true, text: `${JSON.stringify(obj, null, 2)}\n`, added, present };
}
