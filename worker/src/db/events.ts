/**
 * The events the extension's toolbar polls (GET /v1/events): append-only, in id order per tenant.
 * Each fact is stored once: its dedupe key makes a second emission of the same fact a no-op, so
 * callers may emit from retried or overlapping runs without the toolbar showing it twice.
 */

export type EventKind =
  | 'finding.p1'
  | 'finding.kev'
  | 'approval.waiting'
  | 'exception.expiring'
  | 'exception.expired'
  | 'ring.failed';

export interface EventInput {
  readonly tenantId: string;
  readonly at: string;
  readonly kind: EventKind;
  /** What it is about, as `advisory:DSA-5678-1`, `exception:7`, `deployment:3`. */
  readonly subject: string;
  /** One line a person reads in a notification. */
  readonly summary: string;
  readonly payload?: Readonly<Record<string, unknown>>;
  /** The same key twice (per tenant) stores one event. */
  readonly dedupeKey: string;
}

export function eventStatement(db: D1Database, event: EventInput): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO events (tenant_id, at, kind, subject, summary, payload, dedupe_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
    )
    .bind(
      event.tenantId,
      event.at,
      event.kind,
      event.subject,
      event.summary,
      JSON.stringify(event.payload ?? {}),
      event.dedupeKey,
    );
}

/**
 * Column list of an event insert, for statements that build events from the rows they select
 * (`INSERT INTO ${EVENT_COLUMNS} SELECT ... ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`).
 */
export const EVENT_COLUMNS = 'events (tenant_id, at, kind, subject, summary, payload, dedupe_key)';
