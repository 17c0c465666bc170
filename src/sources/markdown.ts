// Pure helpers over issue Markdown: acceptance criteria, checklists.

const CRITERIA_HEADING =
  /^(acceptance criteria|success criteria|definition of done|done when|exit criteria|criteria)\b/i;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*\S)\s*$/;
const CHECKBOX = /^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]\s+(.*\S)\s*$/;

/**
 * Items listed under criteria headings (`## Acceptance Criteria`, `## Success Criteria`, a
 * bold `**Acceptance criteria:**` line…); when there is no such section, every checklist
 * item (`- [ ] …`) in the text. Code fences are skipped so examples are not criteria.
 */
export function extractAcceptanceCriteria(markdown: string): string[] {
  const lines = markdown.split(/\r?\n/);
  const out: string[] = [];
  const checks: string[] = [];
  let inSection = false;
  let sectionLevel = 0;
  let fence = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) {
      fence = !fence;
      continue;
    }
    if (fence) continue;
    const h = HEADING.exec(line);
    const bold = /^\s*\*\*(.+?):?\*\*:?\s*$/.exec(line);
    if (h) {
      const level = h[1]!.length;
      if (CRITERIA_HEADING.test(h[2]!)) {
        inSection = true;
        sectionLevel = level;
      } else if (inSection && level <= sectionLevel) inSection = false;
    } else if (bold) {
      // A bold line opens a criteria block; inside a heading-opened section it is a sub-label.
      if (CRITERIA_HEADING.test(bold[1]!.trim())) {
        inSection = true;
        sectionLevel = 7;
      } else if (inSection && sectionLevel === 7) inSection = false;
    }
    const c = CHECKBOX.exec(line);
    if (c) checks.push(c[1]!);
    if (inSection && !h) {
      const m = ITEM.exec(line);
      if (m) out.push(m[1]!);
    }
  }
  return out.length ? out : checks;
}
