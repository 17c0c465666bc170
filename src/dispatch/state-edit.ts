// Pure rewrites of an issue's state in its own file format, keeping everything else byte
// for byte where the format allows (jit JSON: every field and its order; task files: the
// front matter text except the one `state:` line).

/** jit issue JSON text -> new text with state and updated_at changed; other fields untouched. */
export function setJitIssueState(text: string, state: string, nowIso: string): { text: string; from: string | null } {
  const obj = JSON.parse(text) as Record<string, unknown>;
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('not a JSON object');
  const from = typeof obj.state === 'string' ? obj.state : null;
  obj.state = state;
  obj.updated_at = nowIso;
  // jit writes 2-space JSON with a trailing newline; keep that so diffs stay one or two lines.
  return { text: `${JSON.stringify(obj, null, 2)}\n`, from };
}

/** Task file text -> new text with `state: <state>` in its front matter (added when missing). */
export function setTaskFileState(text: string, state: string): { text: string; from: string | null } {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /^(\uFEFF?---[ \t]*\r?\n)(?:([\s\S]*?)\r?\n)?(---[ \t]*(?:\r?\n|$))/.exec(text);
  if (!m) return { text: `---${nl}state: ${state}${nl}---${nl}${text}`, from: null };
  const open = m[1]!;
  const fm = m[2];
  const close = m[3]!;
  let from: string | null = null;
  let found = false;
  const lines = fm === undefined ? [] : fm.split(/\r?\n/);
  const out = lines.map((l) => {
    const s = /^state[ \t]*:[ \t]*(.*?)[ \t]*$/.exec(l);
    if (!s || found) return l;
    found = true;
    from = s[1]!.replace(/^(['"])(.*)\1$/, '$2') || null;
    return `state: ${state}`;
  });
  if (!found) out.push(`state: ${state}`);
  return { text: `${open}${out.join(nl)}${nl}${close}${text.slice(m[0].length)}`, from };
}

/** The two events jit itself appends when an issue becomes done. */
export function jitDoneEvents(issueId: string, from: string | null, nowIso: string, newId: () => string): string {
  const events = [
    {
      type: 'issue_state_changed',
      id: newId(),
      issue_id: issueId,
      timestamp: nowIso,
      from: from ?? 'unknown',
      to: 'done',
    },
    { type: 'issue_completed', id: newId(), issue_id: issueId, timestamp: nowIso },
  ];
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}
