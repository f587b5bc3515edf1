/**
 * The comparison behind `npm run -s vercmp -- ECOSYSTEM`: one answer per input line `A B`,
 * `<`, `=`, `>`, or `! reason` when a version is invalid or the line is not two versions.
 */
import { ecosystems, isInvalid, schemeFor } from './index';

export function vercmpLine(ecosystem: string, line: string): string {
  const parts = line.trim().split(/\s+/);
  if (parts.length !== 2 || !parts[0] || !parts[1]) return '! expected two versions separated by a space';
  const result = schemeFor(ecosystem)?.compare(parts[0], parts[1]);
  if (result === undefined) return `! unknown ecosystem "${ecosystem}"`;
  if (isInvalid(result)) return `! ${result.version}: ${result.reason}`;
  return result < 0 ? '<' : result > 0 ? '>' : '=';
}

export function knownEcosystems(): string {
  return ecosystems.join(', ');
}
