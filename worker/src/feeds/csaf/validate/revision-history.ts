/**
 * Tests 6.1.14 and 6.1.16 to 6.1.22 and 6.1.30: the revision history and the document version.
 *
 * "Sorted ascending by date" is by instant, to any fraction of a second (the OASIS tests compare
 * `10:00:00.00010Z` with `10:00:00.000Z`); items of the same instant are ordered by their version.
 */
import { pointer, quote } from './failures';
import { compareInstants, type Instant, parseDateTime } from './formats';
import type { MandatoryTest } from './mandatory-test';
import type { CsafDocument } from './schema';
import { compareVersions, type DocumentVersion, isPrerelease, parseVersion, withoutMetadata } from './versions';

interface Revision {
  /** Index in `/document/tracking/revision_history`. */
  readonly index: number;
  readonly date: Instant;
  readonly version: DocumentVersion;
}

/** The revision history by date, then version. Items whose date or number does not parse are left out (the schema reports them). */
function revisionsByDate(doc: CsafDocument): Revision[] {
  const out: Revision[] = [];
  doc.document.tracking.revision_history.forEach((item, index) => {
    const date = parseDateTime(item.date);
    const version = parseVersion(item.number);
    if (date !== undefined && version !== undefined) out.push({ index, date, version });
  });
  return out.sort((a, b) => compareInstants(a.date, b.date) || compareVersions(a.version, b.version));
}

const revisionPath = (index: number) => pointer('document', 'tracking', 'revision_history', index);
const trackingPath = (key: string) => pointer('document', 'tracking', key);

/** Major version 0 (integer "0" or semantic "0.y.z"): not yet released. */
const isZero = (version: DocumentVersion) => version.major === 0n;

export const sortedRevisionHistory: MandatoryTest = {
  id: '6.1.14',
  title: 'Sorted Revision History',
  run(doc, report) {
    const revisions = revisionsByDate(doc);
    for (let i = 1; i < revisions.length; i++) {
      const previous = revisions[i - 1];
      const current = revisions[i];
      if (previous === undefined || current === undefined) continue;
      if (compareVersions(previous.version, current.version) > 0) {
        report(
          revisionPath(current.index),
          `version ${current.version.text} is dated after version ${previous.version.text}, but is lower`,
        );
      }
    }
  },
};

export const translator: MandatoryTest = {
  id: '6.1.15',
  title: 'Translator',
  run(doc, report) {
    if (doc.document.publisher.category === 'translator' && doc.document.source_lang === undefined) {
      report(pointer('document', 'source_lang'), 'a translator publishes the document, but source_lang is missing');
    }
  },
};

export const latestDocumentVersion: MandatoryTest = {
  id: '6.1.16',
  title: 'Latest Document Version',
  run(doc, report) {
    const latest = revisionsByDate(doc).at(-1);
    if (latest === undefined) return;
    const draft = doc.document.tracking.status === 'draft';
    const version = doc.document.tracking.version;
    if (withoutMetadata(latest.version.text, draft) !== withoutMetadata(version, draft)) {
      report(
        trackingPath('version'),
        `version ${quote(version)} differs from the latest revision's number ${quote(latest.version.text)}`,
      );
    }
  },
};

export const documentStatusDraft: MandatoryTest = {
  id: '6.1.17',
  title: 'Document Status Draft',
  run(doc, report) {
    const { status, version: text } = doc.document.tracking;
    const version = parseVersion(text);
    if (version === undefined || status === 'draft') return;
    if (isZero(version) || isPrerelease(version)) {
      report(
        trackingPath('status'),
        `version ${quote(text)} is not a release, so the status must be draft, not ${status}`,
      );
    }
  },
};

export const releasedRevisionHistory: MandatoryTest = {
  id: '6.1.18',
  title: 'Released Revision History',
  run(doc, report) {
    const { status, revision_history: history } = doc.document.tracking;
    if (status === 'draft') return;
    history.forEach((item, i) => {
      const version = parseVersion(item.number);
      if (version !== undefined && isZero(version)) {
        report(
          `${revisionPath(i)}/number`,
          `the document is ${status}, but its history has version ${quote(item.number)}`,
        );
      }
    });
  },
};

export const prereleaseRevisions: MandatoryTest = {
  id: '6.1.19',
  title: 'Revision History Entries for Pre-release Versions',
  run(doc, report) {
    doc.document.tracking.revision_history.forEach((item, i) => {
      const version = parseVersion(item.number);
      if (version !== undefined && isPrerelease(version)) {
        report(`${revisionPath(i)}/number`, `revision ${quote(item.number)} is a pre-release`);
      }
    });
  },
};

export const nonDraftDocumentVersion: MandatoryTest = {
  id: '6.1.20',
  title: 'Non-draft Document Version',
  run(doc, report) {
    const { status, version: text } = doc.document.tracking;
    const version = parseVersion(text);
    if (status !== 'draft' && version !== undefined && isPrerelease(version)) {
      report(trackingPath('version'), `the document is ${status}, but its version ${quote(text)} is a pre-release`);
    }
  },
};

/** By date, the first (major) version is 0 or 1, and no major version between the lowest and highest is left out. */
export const missingRevision: MandatoryTest = {
  id: '6.1.21',
  title: 'Missing Item in Revision History',
  run(doc, report) {
    const revisions = revisionsByDate(doc);
    const first = revisions[0];
    if (first === undefined) return;
    if (first.version.major > 1n) {
      report(revisionPath(first.index), `the first revision by date is ${first.version.text}, not version 0 or 1`);
    }
    const majors = [...new Set(revisions.map((revision) => revision.version.major))].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    for (let i = 1; i < majors.length; i++) {
      const previous = majors[i - 1] ?? 0n;
      const current = majors[i] ?? 0n;
      if (current - previous > 1n) {
        const missing = current - previous === 2n ? `${previous + 1n}` : `${previous + 1n} to ${current - 1n}`;
        report(pointer('document', 'tracking', 'revision_history'), `the revision history lacks version ${missing}`);
      }
    }
  },
};

export const multipleRevisionDefinition: MandatoryTest = {
  id: '6.1.22',
  title: 'Multiple Definition in Revision History',
  run(doc, report) {
    const seen = new Set<string>();
    doc.document.tracking.revision_history.forEach((item, i) => {
      if (seen.has(item.number))
        report(`${revisionPath(i)}/number`, `version ${quote(item.number)} appears more than once`);
      seen.add(item.number);
    });
  },
};

export const mixedVersioning: MandatoryTest = {
  id: '6.1.30',
  title: 'Mixed Integer and Semantic Versioning',
  run(doc, report) {
    const { version, revision_history: history } = doc.document.tracking;
    const kind = parseVersion(version)?.kind;
    history.forEach((item, i) => {
      const itemKind = parseVersion(item.number)?.kind;
      if (kind !== undefined && itemKind !== undefined && itemKind !== kind) {
        report(
          `${revisionPath(i)}/number`,
          `revision ${quote(item.number)} uses ${itemKind} versioning, the document version ${quote(version)} ${kind} versioning`,
        );
      }
    });
  },
};
