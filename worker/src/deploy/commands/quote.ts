/**
 * Command lines for people: the runbook shows each argv as a line one can paste into sh or
 * PowerShell and get exactly that argv.
 */

/** `~` only inside a word and not after `=` or `:` (where shells expand it): Debian versions stay bare. */
const POSIX_SAFE = /^[A-Za-z0-9_@%+=:,./-][A-Za-z0-9_@%+=:,./~-]*$/;
const TILDE_EXPANDS = /[=:]~/;

/** One word for a POSIX shell: bare when nothing in it is special, else single-quoted (`'` as `'\''`). */
export function shellWord(word: string, first = false): string {
  // A bare first word with `=` would be a variable assignment, not a program.
  if (POSIX_SAFE.test(word) && !TILDE_EXPANDS.test(word) && !(first && word.includes('='))) return word;
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** The argv as one sh command line. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((word, index) => shellWord(word, index === 0)).join(' ');
}

const PS_SAFE = /^[A-Za-z0-9_.:\\/-]+$/;
/** PowerShell also closes a single-quoted string at the typographic single quotes. */
const PS_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

/** One argument for PowerShell: bare when safe, else single-quoted with quotes doubled. */
export function powerShellWord(word: string): string {
  if (PS_SAFE.test(word)) return word;
  return `'${word.replace(PS_QUOTES, (q) => q + q)}'`;
}

/**
 * The argv as one PowerShell line, as the agent runs it (`& $argv[0] @rest`): a bare program name,
 * or `& 'quoted path'` when it needs quoting. Arguments starting with `-` are parameter names.
 */
export function powerShellQuote(argv: readonly string[]): string {
  const [program = '', ...rest] = argv;
  const head = /^[A-Za-z0-9_.-]+$/.test(program) ? program : `& ${powerShellWord(program)}`;
  return [head, ...rest.map(powerShellWord)].join(' ');
}
