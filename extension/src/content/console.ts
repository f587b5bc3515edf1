/**
 * The console content script's logic (the admin's vSphere, Proxmox, cloud console, Grafana, CMDB):
 * find hostnames and IP addresses in the page's text, ask the backend ONCE which of them are hosts
 * of the fleet (`patchboard:hosts`, POST /v1/hosts/match), and put a HostBadge after each one that
 * is. Only text nodes are read, never attributes; at most MAX_CANDIDATES new names per pass; single-
 * page consoles are watched (debounced) and only names not asked before are asked.
 */
import { h, render } from 'preact';
import { HostBadge, type HostMatch } from '@/components/overlay/HostBadge';
import { BADGE_CSS } from '@/components/overlay/styles';
import { pageTextWalker } from '@/scan/scan';
import { watch } from '@/scan/watch';
import type { Send } from './client';
import { createShadowHost } from './mount';

/** Most new names asked per pass (the message's limit). */
export const MAX_CANDIDATES = 2000;
/** Passes in a row when a page has more names than one pass asks; then the next change continues. */
const MAX_PASSES_IN_A_ROW = 5;

/** The attribute of the span around a matched name; its value is the host's hostname. */
export const HOST_ATTRIBUTE = 'data-patchboard-host';
/** The host badge's host element. */
export const HOST_BADGE_TAG = 'patchboard-host-badge';

/** A name found in a text: `text.slice(start, end)`. */
export interface Candidate {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?';
/**
 * Dot-separated labels, not inside a longer token (a trailing full stop is not part of it), nor the
 * domain of an e-mail address or an IPv6 zone (`fe80::1%eth0`).
 */
const HOSTNAME = new RegExp(`(?<![\\w.@%-])${LABEL}(?:\\.${LABEL})*(?![\\w-]|\\.[A-Za-z0-9])`, 'g');
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])(?:${OCTET}\\.){3}${OCTET}(?![\\w]|\\.\\d)`, 'g');
/** Hex groups and colons (and an IPv4 tail); validated by the URL parser after. */
const IPV6 = /(?<![\w:.])(?=[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:)[0-9A-Fa-f:.]{3,45}(?![\w:])/g;

/** A hostname worth asking about: an FQDN (alphabetic top label) or one label with a letter and a digit or dash. */
function isHostnameLike(token: string): boolean {
  if (token.length > 253 || !/[A-Za-z]/.test(token)) return false;
  const labels = token.split('.');
  if (labels.length > 1) return /^[A-Za-z]{2,63}$/.test(labels[labels.length - 1] ?? '');
  return token.length >= 3 && /[0-9-]/.test(token);
}

function isIpv6(text: string): boolean {
  if (!/[0-9A-Fa-f]/.test(text)) return false;
  try {
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** Every hostname and IP address in `text`, in order, without overlaps (the longer one wins). */
export function candidatesInText(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(IPV4))
    found.push({ name: match[0], start: match.index, end: match.index + match[0].length });
  if (text.includes(':')) {
    for (const match of text.matchAll(IPV6)) {
      // A sentence's full stop after an address is not part of it.
      const name = match[0].endsWith('.') ? match[0].slice(0, -1) : match[0];
      if (isIpv6(name)) found.push({ name, start: match.index, end: match.index + name.length });
    }
  }
  for (const match of text.matchAll(HOSTNAME)) {
    if (isHostnameLike(match[0]))
      found.push({ name: match[0], start: match.index, end: match.index + match[0].length });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Candidate[] = [];
  let end = -1;
  for (const candidate of found) {
    if (candidate.start >= end) {
      kept.push(candidate);
      end = candidate.end;
    }
  }
  return kept;
}

/** One name in one text node. */
export interface NameOccurrence extends Candidate {
  readonly node: Text;
}

/** Every candidate name in the text nodes under `root`, in document order. */
export function findNames(root: Node): NameOccurrence[] {
  const occurrences: NameOccurrence[] = [];
  const walker = pageTextWalker(root, [HOST_ATTRIBUTE]);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node as Text;
    if (text.data.length < 3) continue;
    for (const candidate of candidatesInText(text.data)) occurrences.push({ ...candidate, node: text });
  }
  return occurrences;
}

/** Wraps each occurrence in `<span data-patchboard-host>` and puts its badge after it. */
function wrap(
  occurrences: readonly NameOccurrence[],
  badgeFor: (match: HostMatch) => Element,
  matches: ReadonlyMap<string, HostMatch | null>,
) {
  const byNode = new Map<Text, NameOccurrence[]>();
  for (const occurrence of occurrences) {
    const list = byNode.get(occurrence.node);
    if (list) list.push(occurrence);
    else byNode.set(occurrence.node, [occurrence]);
  }
  for (const [node, list] of byNode) {
    if (!node.parentNode) continue;
    // From the last occurrence back: earlier offsets stay valid as the node is split.
    for (const { name, start, end } of [...list].sort((a, b) => b.start - a.start)) {
      const match = matches.get(name);
      if (!match || end > node.data.length || node.data.slice(start, end) !== name) continue;
      const nameText = node.splitText(start);
      nameText.splitText(end - start);
      const span = node.ownerDocument.createElement('span');
      span.setAttribute(HOST_ATTRIBUTE, match.hostname);
      nameText.before(span);
      span.append(nameText);
      span.after(badgeFor(match));
    }
  }
}

export interface ConsoleAnnotator {
  /** One pass: find names, ask the new ones (one message), badge the hosts. */
  run(): Promise<void>;
  /** What each name asked answered: its host, or null. */
  readonly matches: ReadonlyMap<string, HostMatch | null>;
}

export function createConsoleAnnotator(root: Node, send: Send): ConsoleAnnotator {
  const document = root.ownerDocument ?? (root as Document);
  const matches = new Map<string, HostMatch | null>();
  let running: Promise<void> | null = null;
  let again = false;

  const badgeFor = (match: HostMatch) => {
    const { host, container } = createShadowHost(document, HOST_BADGE_TAG, 'host-badge', BADGE_CSS);
    host.setAttribute('data-hostname', match.hostname);
    render(
      h(HostBadge, { match, onOpen: (route: string) => void send({ type: 'patchboard:open', route }) }),
      container,
    );
    return host;
  };

  /** Answers whether names were left for another pass. */
  const pass = async (): Promise<boolean> => {
    const names: string[] = [];
    const asked = new Set<string>();
    let truncated = false;
    for (const { name } of findNames(root)) {
      if (matches.has(name) || asked.has(name)) continue;
      if (names.length >= MAX_CANDIDATES) {
        truncated = true;
        break;
      }
      asked.add(name);
      names.push(name);
    }
    if (names.length > 0) {
      const reply = await send({ type: 'patchboard:hosts', names });
      // A failed answer is not asked again on this page: a console that keeps changing must not flood the backend.
      for (const name of names) matches.set(name, null);
      if (reply.ok) for (const item of reply.data.items) if (asked.has(item.name)) matches.set(item.name, item);
    }
    // Find again: the page may have changed while the answer was under way.
    wrap(
      findNames(root).filter(({ name }) => matches.get(name)),
      badgeFor,
      matches,
    );
    return truncated;
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let passes = 0;
        do {
          again = false;
          if ((await pass()) && ++passes < MAX_PASSES_IN_A_ROW) again = true;
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  return { run, matches };
}

export interface ConsoleScript {
  stop(): void;
  /** Settles when the passes started so far are done (for tests). */
  idle(): Promise<void>;
}

/** Runs the console content script on `document`: a pass now and one after each (debounced) change. */
export function startConsole(options: { document: Document; send: Send; delay?: number }): ConsoleScript {
  const root = options.document.body ?? options.document.documentElement;
  const annotator = createConsoleAnnotator(root, options.send);
  let last: Promise<void> = annotator.run();
  const unwatch = watch(
    root,
    () => {
      last = annotator.run();
    },
    { delay: options.delay ?? 500 },
  );
  return {
    stop: unwatch,
    async idle() {
      let seen: Promise<void>;
      do {
        seen = last;
        await seen;
      } while (seen !== last);
    },
  };
}
