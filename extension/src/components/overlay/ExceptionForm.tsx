/**
 * "Accept risk…": asks for a risk exception (POST /v1/exceptions through `patchboard:exception`)
 * for the page's advisory or CVE - which hosts, why, the compensating control, until when (30 days
 * by default, at most MAX_EXCEPTION_DAYS). The body is checked with the contract's own schema before
 * it is sent; the backend checks it again, and its error is shown as it says it.
 */
import {
  CreateExceptionRequest,
  type ExceptionHosts,
  MAX_EXCEPTION_DAYS,
  type RiskException,
} from '@patchboard/shared/schemas/exception';
import { useState } from 'preact/hooks';
import * as v from 'valibot';
import type { Send } from '@/content/client';
import { formatDate } from './format';

/** What the exception covers: fixed to the page's advisory or CVE. */
export interface ExceptionFormTarget {
  readonly kind: 'advisory' | 'cve';
  readonly value: string;
}

export type HostsKind = ExceptionHosts['kind'];

/** What the person typed. */
export interface ExceptionInput {
  readonly hostsKind: HostsKind;
  /** The ring, tag or hostname; ignored for `all`. */
  readonly hostsValue: string;
  readonly reason: string;
  readonly compensatingControl: string;
  /** `YYYY-MM-DD`: the exception ends at 00:00 UTC of that day. */
  readonly expires: string;
}

/** The expiry offered first. */
export const DEFAULT_EXCEPTION_DAYS = 30;

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` (UTC) of `now` plus `days`. */
export function dayAfter(now: Date, days: number): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The body of POST /v1/exceptions for this input, or the first reason it is not one. Expiry: a day
 * after today and at most MAX_EXCEPTION_DAYS ahead (its 00:00 UTC then always lies within the
 * backend's limit, counted from the request's time).
 */
export function exceptionBody(
  target: ExceptionFormTarget,
  input: ExceptionInput,
  now: Date,
): { ok: true; body: CreateExceptionRequest } | { ok: false; error: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.expires)) return { ok: false, error: 'choose an expiry date' };
  if (input.expires < dayAfter(now, 1)) return { ok: false, error: 'the expiry must be a day after today or later' };
  if (input.expires > dayAfter(now, MAX_EXCEPTION_DAYS)) {
    return { ok: false, error: `the expiry is at most ${MAX_EXCEPTION_DAYS} days ahead` };
  }
  const value = input.hostsValue.trim();
  if (input.hostsKind !== 'all' && value === '') return { ok: false, error: `name the ${input.hostsKind}` };
  const hosts = input.hostsKind === 'all' ? { kind: 'all' } : { kind: input.hostsKind, value };
  const result = v.safeParse(CreateExceptionRequest, {
    hosts,
    target: { kind: target.kind, value: target.value },
    reason: input.reason,
    compensatingControl: input.compensatingControl,
    expiresAt: `${input.expires}T00:00:00Z`,
  });
  if (!result.success) return { ok: false, error: result.issues[0]?.message ?? 'the request is not valid' };
  return { ok: true, body: result.output };
}

export interface ExceptionFormProps {
  readonly target: ExceptionFormTarget;
  /** The rings of the affected hosts, offered first when the exception covers a ring. */
  readonly rings: readonly string[];
  readonly send: Send;
  readonly now?: () => Date;
  readonly onCancel?: () => void;
}

const HOSTS_KINDS: readonly { kind: HostsKind; label: string }[] = [
  { kind: 'all', label: 'all affected hosts' },
  { kind: 'ring', label: 'a ring' },
  { kind: 'tag', label: 'a tag' },
  { kind: 'hostname', label: 'one host' },
];

const fieldValue = (event: Event) => (event.currentTarget as HTMLInputElement).value;

export function ExceptionForm({ target, rings, send, now = () => new Date(), onCancel }: ExceptionFormProps) {
  const [today] = useState(now);
  const [input, setInput] = useState<ExceptionInput>(() => ({
    hostsKind: 'all',
    hostsValue: '',
    reason: '',
    compensatingControl: '',
    expires: dayAfter(today, DEFAULT_EXCEPTION_DAYS),
  }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<RiskException | null>(null);
  const update = (change: Partial<ExceptionInput>) => setInput((previous) => ({ ...previous, ...change }));

  if (created) {
    return (
      <div class="box" data-testid="pb-exception-result" data-exception-id={created.id} data-status={created.status}>
        Exception #{created.id}{' '}
        <span data-testid="pb-exception-status">
          {created.status === 'requested' ? 'requested — waits for an approver' : created.status}
        </span>{' '}
        <span class="muted">(until {formatDate(created.expiresAt)})</span>
      </div>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    const built = exceptionBody(target, input, now());
    if (!built.ok) {
      setError(built.error);
      return;
    }
    setError(null);
    setBusy(true);
    const reply = await send({ type: 'patchboard:exception', body: { ...built.body } });
    setBusy(false);
    if (reply.ok) setCreated(reply.data);
    else setError(reply.error);
  };

  const listId = 'pb-exception-rings';
  return (
    <form class="box" data-testid="pb-exception-form" onSubmit={(event) => void submit(event)} noValidate>
      <p>
        Accept the risk of{' '}
        <b data-testid="pb-exception-target" data-kind={target.kind}>
          {target.value}
        </b>
      </p>
      <label>
        Hosts{' '}
        <select
          data-testid="pb-exception-hosts-kind"
          value={input.hostsKind}
          onChange={(event) => {
            const hostsKind = fieldValue(event) as HostsKind;
            update({ hostsKind, hostsValue: hostsKind === 'ring' ? (rings[0] ?? '') : '' });
          }}
        >
          {HOSTS_KINDS.map(({ kind, label }) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>{' '}
        {input.hostsKind !== 'all' && (
          <input
            data-testid="pb-exception-hosts-value"
            aria-label={input.hostsKind}
            value={input.hostsValue}
            list={input.hostsKind === 'ring' ? listId : undefined}
            placeholder={input.hostsKind === 'hostname' ? 'web-01' : input.hostsKind === 'tag' ? 'pci' : 'prod'}
            onInput={(event) => update({ hostsValue: fieldValue(event) })}
          />
        )}
        <datalist id={listId}>
          {rings.map((ring) => (
            <option key={ring} value={ring} />
          ))}
        </datalist>
      </label>
      <label>
        Reason
        <textarea
          data-testid="pb-exception-reason"
          maxLength={2000}
          value={input.reason}
          onInput={(event) => update({ reason: fieldValue(event) })}
        />
      </label>
      <label>
        Compensating control
        <textarea
          data-testid="pb-exception-control"
          maxLength={2000}
          value={input.compensatingControl}
          onInput={(event) => update({ compensatingControl: fieldValue(event) })}
        />
      </label>
      <label>
        Expires on{' '}
        <input
          type="date"
          data-testid="pb-exception-expiry"
          value={input.expires}
          min={dayAfter(today, 1)}
          max={dayAfter(today, MAX_EXCEPTION_DAYS)}
          onInput={(event) => update({ expires: fieldValue(event) })}
        />{' '}
        <span class="muted">(at most {MAX_EXCEPTION_DAYS} days)</span>
      </label>
      <div class="actions">
        <button type="submit" data-testid="pb-exception-submit" disabled={busy}>
          {busy ? 'Requesting…' : 'Request exception'}
        </button>
        {onCancel && (
          <button type="button" class="secondary" data-testid="pb-exception-cancel" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {error && (
        <p class="error" data-testid="pb-exception-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
