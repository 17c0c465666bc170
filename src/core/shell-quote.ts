// The one way an id (issue, lease, remote) is put into a command we suggest to a person or a
// model: they copy it into a shell. Ids are checked at the door (core/issue-ids.ts), but older
// stores, remote mirrors and other tools may still hold anything, so every suggested command
// quotes its arguments here and running the suggestion can never run a substitution.

// Characters no POSIX shell (bash, zsh, dash) treats specially anywhere in a word.
const PLAIN = /^[A-Za-z0-9._:@%+,/-]+$/;

/** `s` as one shell word: unchanged when it is plain, else single-quoted (`'` as `'\''`). */
export function shellQuote(s: string): string {
  if (s !== '' && PLAIN.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `jitp <words…>`, each argument quoted as needed: `jitpCommand('claim release', id)`. */
export function jitpCommand(sub: string, ...args: string[]): string {
  return ['jitp', sub, ...args.map(shellQuote)].join(' ');
}
