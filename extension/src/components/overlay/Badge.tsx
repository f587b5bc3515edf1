/**
 * The small inline badge the scanner puts after an id it found on a page: a pill with the priority
 * and the number of affected hosts (`P1 · 12`), the host count alone when nothing is triaged, `0`
 * when no host is affected. Its tooltip (a `title`, text only) says the rest.
 */
import type { LookupItem } from '@patchboard/shared/schemas/lookup';
import { formatDate, formatShare, PRODUCTION_RING } from './format';

export interface BadgeProps {
  /** The id as the scanner found it (canonical). */
  readonly id: string;
  readonly item: LookupItem;
  /** Opens the id in the dashboard. */
  readonly onOpen?: () => void;
}

/** The badge's tooltip: plain text. */
export function badgeTitle(id: string, item: LookupItem): string {
  if (!item.known) return `Patchboard: ${id} is not in Patchboard’s feeds`;
  const parts: string[] = [];
  const affected = item.hosts.affected;
  if (affected === 0) parts.push(`Patchboard: ${id} affects no host`);
  else {
    const production = item.hosts.byRing[PRODUCTION_RING] ?? 0;
    parts.push(
      `Patchboard: ${id} affects ${affected} ${affected === 1 ? 'host' : 'hosts'} (${production} in production)`,
    );
    if (item.priority) {
      parts.push(`P${item.priority.highest}${item.priority.explanation ? `: ${item.priority.explanation}` : ''}`);
    }
    parts.push(`${item.findings.open} open, ${item.findings.scheduled} scheduled, ${item.findings.excepted} excepted`);
  }
  if (item.kev) parts.push(`CISA KEV, due ${formatDate(item.kev.dueDate)}${item.kev.ransomware ? ', ransomware' : ''}`);
  if (item.epss) parts.push(`EPSS ${formatShare(item.epss.score)}`);
  return parts.join('\n');
}

export function Badge({ id, item, onOpen }: BadgeProps) {
  const affected = item.hosts.affected;
  const priority = affected > 0 ? item.priority?.highest : undefined;
  const tone = priority ? `p${priority}` : affected > 0 ? 'affected' : 'none';
  return (
    <button
      type="button"
      class={`badge ${tone}`}
      data-testid="pb-badge"
      data-id={id}
      data-hosts={affected}
      data-priority={priority ?? ''}
      title={badgeTitle(id, item)}
      aria-label={badgeTitle(id, item)}
      onClick={(event) => {
        event.preventDefault();
        event.stopPropagation();
        onOpen?.();
      }}
    >
      {priority ? `P${priority} · ${affected}` : String(affected)}
    </button>
  );
}
