/**
 * Small pieces the popup and the dashboard share: loading an API answer, showing times and
 * priorities, and the approve / reject / cancel buttons that show the backend's refusal in place.
 * Backend text is always rendered as text.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Reply } from '@/utils/messages';

export type Load<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly error: string }
  | { readonly state: 'done'; readonly data: T };

/** Runs `fetcher` when `key` changes (and on `reload`), keeping the last answer. */
export function useLoad<T>(fetcher: () => Promise<Reply<T>>, key: string): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const shown = useRef<string | null>(null);
  // The key stands for the fetcher's inputs.
  useEffect(() => {
    let live = true;
    // A new key starts over; a reload keeps the answer on screen until the next one replaces it.
    if (shown.current !== key) setLoad({ state: 'loading' });
    shown.current = key;
    fetcher().then(
      (reply) => {
        if (live) setLoad(reply.ok ? { state: 'done', data: reply.data } : { state: 'error', error: reply.error });
      },
      (err: Error) => {
        if (live) setLoad({ state: 'error', error: err.message });
      },
    );
    return () => {
      live = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return [load, reload];
}

/** The loading line, the error, or the content. */
export function Loaded<T>(props: { load: Load<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (props.load.state === 'loading') return <p class="muted">Loading {props.what}…</p>;
  if (props.load.state === 'error') {
    return (
      <p class="error" role="alert" data-testid="load-error">
        Could not load {props.what}: {props.load.error}
      </p>
    );
  }
  return <>{props.children(props.load.data)}</>;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-03-28 02:00` in the browser's time zone; the exact UTC instant on hover. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function Time(props: { iso: string | null | undefined }) {
  if (!props.iso) return <span class="muted">—</span>;
  return (
    <time dateTime={props.iso} title={props.iso}>
      {formatTime(props.iso)}
    </time>
  );
}

/** `P1`…`P4`, or `P?` before the first triage. */
export function Priority(props: { priority: number | null }) {
  const label = props.priority === null ? 'P?' : `P${props.priority}`;
  return (
    <span class={`prio prio-${props.priority ?? 'none'}`} data-priority={props.priority ?? ''}>
      {label}
    </span>
  );
}

/** The due date, or "overdue" when it has passed (or the backend says the SLA is breached). */
export function Due(props: { dueAt: string | null; breached: boolean; now?: number }) {
  const now = props.now ?? Date.now();
  const overdue = props.breached || (props.dueAt !== null && Date.parse(props.dueAt) < now);
  if (overdue) {
    return (
      <span class="overdue" data-testid="overdue" title={props.dueAt ?? undefined}>
        overdue{props.dueAt ? ` (due ${formatTime(props.dueAt)})` : ''}
      </span>
    );
  }
  return <Time iso={props.dueAt} />;
}

export interface DecisionAction {
  /** Button text, e.g. `Approve`. */
  readonly label: string;
  /** What the record says after success, e.g. `approved`. */
  readonly done: string;
  readonly run: (body: { note?: string }) => Promise<Reply<unknown>>;
}

/**
 * Buttons for decisions on one object, an optional note, and the backend's answer in place: its
 * refusal (such as "another approver must approve it") stays beside the buttons.
 */
export function Decision(props: { actions: readonly DecisionAction[]; onDone?: () => void; testid?: string }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const act = async (action: DecisionAction) => {
    setBusy(true);
    setResult(null);
    const trimmed = note.trim();
    const reply = await action.run(trimmed ? { note: trimmed } : {});
    setBusy(false);
    if (reply.ok) {
      setResult({ ok: true, text: action.done });
      setNote('');
      props.onDone?.();
    } else {
      setResult({ ok: false, text: reply.error });
    }
  };
  return (
    <div class="decision" data-testid={props.testid ?? 'decision'}>
      <input
        type="text"
        class="note"
        placeholder="note (optional)"
        aria-label="note"
        maxLength={2000}
        value={note}
        onInput={(e) => setNote((e.target as HTMLInputElement).value)}
      />
      {props.actions.map((action) => (
        <button
          key={action.label}
          type="button"
          disabled={busy}
          data-action={action.label.toLowerCase()}
          onClick={() => void act(action)}
        >
          {action.label}
        </button>
      ))}
      {result &&
        (result.ok ? (
          <span class="ok" data-testid="decision-done">
            {result.text}
          </span>
        ) : (
          <span class="error" role="alert" data-testid="decision-error">
            {result.text}
          </span>
        ))}
    </div>
  );
}

/** The ring a deployment is at: the first one not passed or skipped (the last when all are). */
export function currentRing<R extends { status: string }>(rings: readonly R[]): R | null {
  return rings.find((r) => r.status !== 'passed' && r.status !== 'skipped') ?? rings[rings.length - 1] ?? null;
}

/** `ring test`, `tag pci`, `hostname web-01`, `all hosts`. */
export function describeScope(scope: { kind: string; value?: string | null; values?: readonly string[] }): string {
  if (scope.kind === 'all') return 'all hosts';
  if (scope.values) return `${scope.kind} ${scope.values.join(', ')}`;
  return `${scope.kind} ${scope.value ?? ''}`.trim();
}

export interface PageOf<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** A paginated list: the first page when `key` changes, then `more()` appends the next one. */
export function usePaged<T>(
  fetchPage: (cursor: string | undefined) => Promise<Reply<PageOf<T>>>,
  key: string,
): { load: Load<readonly T[]>; more: (() => void) | null; moreError: string | null; reload: () => void } {
  const [pages, setPages] = useState<{ items: readonly T[]; cursor: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [round, setRound] = useState(0);
  const shown = useRef<string | null>(null);
  // The key stands for the fetcher's inputs.
  useEffect(() => {
    let live = true;
    // A new key starts over; a reload keeps the rows until the answer replaces them.
    if (shown.current !== key) setPages(null);
    shown.current = key;
    setError(null);
    setMoreError(null);
    fetchPage(undefined).then((reply) => {
      if (!live) return;
      if (reply.ok) setPages({ items: reply.data.items, cursor: reply.data.nextCursor });
      else setError(reply.error);
    });
    return () => {
      live = false;
    };
  }, [key, round]);
  const cursor = pages?.cursor ?? null;
  const more =
    cursor === null || busy
      ? null
      : () => {
          setBusy(true);
          setMoreError(null);
          fetchPage(cursor).then((reply) => {
            setBusy(false);
            if (reply.ok) {
              setPages((last) => ({
                items: [...(last?.items ?? []), ...reply.data.items],
                cursor: reply.data.nextCursor,
              }));
            } else {
              setMoreError(reply.error);
            }
          });
        };
  const load: Load<readonly T[]> =
    error !== null
      ? { state: 'error', error }
      : pages === null
        ? { state: 'loading' }
        : { state: 'done', data: pages.items };
  return { load, more, moreError, reload: () => setRound((n) => n + 1) };
}

/** The "More" button under a paginated table. */
export function More(props: { more: (() => void) | null; error: string | null }) {
  return (
    <>
      {props.more && (
        <p>
          <button type="button" data-testid="more" onClick={props.more}>
            More
          </button>
        </p>
      )}
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
    </>
  );
}
