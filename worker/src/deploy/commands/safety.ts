/**
 * What may go on a command line. The agent protocol separates argv elements with TABs and
 * directives with newlines, and the agent runs argv without a shell; so an element must hold no
 * TAB, CR, LF or NUL, and every value that comes from a feed, an inventory or a user (package
 * names, versions, KBs, services, hook targets) must match a conservative pattern for its kind.
 * A value starting with `-` would be read as an option: every pattern starts with a letter or digit.
 */
import type { Command } from './types';

/** Thrown instead of generating a command with a value that is not safe; the caller answers 400. */
export class UnsafeArgumentError extends Error {
  override readonly name = 'UnsafeArgumentError';
  readonly status = 400;
  /** What the value was meant to be (`package name`, `version`, ...). */
  readonly field: string;
  readonly value: string;

  constructor(field: string, value: string, expected: string) {
    super(`unsafe ${field} ${JSON.stringify(value)}: expected ${expected}`);
    this.field = field;
    this.value = value;
  }
}

const MAX_ARGUMENT_LENGTH = 4096;
const MAX_ARGV = 256;
const FORBIDDEN = /[\t\r\n\0]/;

/** Throws unless every element is a string of at most 4 KiB without TAB, CR, LF or NUL, and argv[0] names a program. */
export function assertSafeArgv(argv: readonly string[]): void {
  if (argv.length > MAX_ARGV) throw new UnsafeArgumentError('argv', `${argv.length} elements`, `at most ${MAX_ARGV}`);
  argv.forEach((arg, index) => {
    if (typeof arg !== 'string') throw new UnsafeArgumentError('argument', String(arg), 'a string');
    if (FORBIDDEN.test(arg)) throw new UnsafeArgumentError('argument', arg, 'no TAB, CR, LF or NUL');
    if (arg.length > MAX_ARGUMENT_LENGTH) {
      throw new UnsafeArgumentError('argument', `${arg.slice(0, 40)}...`, `at most ${MAX_ARGUMENT_LENGTH} characters`);
    }
    if (index === 0 && (arg === '' || arg.startsWith('-'))) {
      throw new UnsafeArgumentError('program', arg, 'a program name, not empty and not an option');
    }
  });
}

/** The three command shapes, each checked. */
export function run(...argv: string[]): Command {
  assertSafeArgv(argv);
  return { mode: 'run', argv };
}

export function probe(check: Command['check'] | undefined, ...argv: string[]): Command {
  assertSafeArgv(argv);
  return check === undefined ? { mode: 'probe', argv } : { mode: 'probe', argv, check };
}

export const report: Command = { mode: 'report', argv: [] };

/** Throws unless `value` matches `pattern`; returns it. */
export function checked(field: string, value: string, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || value.length > 128 || !pattern.test(value)) {
    throw new UnsafeArgumentError(field, String(value), expected);
  }
  return value;
}

/** Names of services a health check asks about (systemd units, OpenRC services, Windows services). */
export function serviceName(value: string): string {
  return checked(
    'service name',
    value,
    /^[A-Za-z0-9][A-Za-z0-9@._:-]*$/,
    'letters, digits and "@._:-", starting with a letter or digit',
  );
}

/** A job id as it goes into snapshot names. */
export function jobIdText(jobId: number): string {
  if (!Number.isSafeInteger(jobId) || jobId < 1)
    throw new UnsafeArgumentError('job id', String(jobId), 'a positive integer');
  return String(jobId);
}

/** What the agent is sent: mode and argv, never the server's check. */
export function wireCommand(command: Command): { mode: Command['mode']; argv: string[] } {
  return { mode: command.mode, argv: [...command.argv] };
}
