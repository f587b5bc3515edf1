/**
 * Validation of CSAF 2.0 documents: the JSON schema (reported as test 'schema') and every mandatory test
 * of section 6.1 of the OASIS standard (reported by test id, '6.1.1' ... '6.1.33'). A document is valid
 * when nothing fails. Mandatory tests run only on a document that passed the schema, the order the
 * standard's conformance clause gives; they read typed data and need no defensive checks.
 *
 * Written for Workers: no code generation (the reference validator compiles schemas with ajv, which a
 * deployed Worker refuses), no recursion over input, no regex on unbounded strings. It never throws.
 */
import * as v from 'valibot';
import { cwe } from './cwe';
import { prohibitedDocumentCategoryName } from './document-category';
import type { CsafFailure } from './failures';
import { treeProblem } from './guard';
import { language, translation } from './language';
import type { MandatoryTest } from './mandatory-test';
import {
  circularProductDefinition,
  missingGroupDefinition,
  missingProductDefinition,
  multipleGroupDefinition,
  multipleProductDefinition,
} from './product-ids';
import { contradictingProductStatus } from './product-status';
import { multipleUseOfSameHashAlgorithm, purl, versionRangeInProductVersion } from './product-tree';
import * as profiles from './profiles';
import {
  documentStatusDraft,
  latestDocumentVersion,
  missingRevision,
  mixedVersioning,
  multipleRevisionDefinition,
  nonDraftDocumentVersion,
  prereleaseRevisions,
  releasedRevisionHistory,
  sortedRevisionHistory,
  translator,
} from './revision-history';
import { CsafDocument } from './schema';
import { inconsistentCvss, invalidCvss, invalidCvssComputation, multipleScoresPerProduct } from './scores';
import {
  flagWithoutProductReference,
  multipleDefinitionInInvolvements,
  multipleFlagsPerProduct,
  multipleUseOfSameCve,
  remediationWithoutProductReference,
} from './vulnerabilities';

export { type CsafFailure, describeFailures } from './failures';
export type { MandatoryTest } from './mandatory-test';
export type { CsafDocument } from './schema';

export interface CsafValidation {
  readonly valid: boolean;
  readonly failures: readonly CsafFailure[];
}

/** The mandatory tests in the order of the standard. */
export const mandatoryTests: readonly MandatoryTest[] = [
  missingProductDefinition,
  multipleProductDefinition,
  circularProductDefinition,
  missingGroupDefinition,
  multipleGroupDefinition,
  contradictingProductStatus,
  multipleScoresPerProduct,
  invalidCvss,
  invalidCvssComputation,
  inconsistentCvss,
  cwe,
  language,
  purl,
  sortedRevisionHistory,
  translator,
  latestDocumentVersion,
  documentStatusDraft,
  releasedRevisionHistory,
  prereleaseRevisions,
  nonDraftDocumentVersion,
  missingRevision,
  multipleRevisionDefinition,
  multipleUseOfSameCve,
  multipleDefinitionInInvolvements,
  multipleUseOfSameHashAlgorithm,
  prohibitedDocumentCategoryName,
  profiles.documentNotes,
  profiles.documentReferences,
  profiles.noVulnerabilities,
  profiles.productTree,
  profiles.vulnerabilityNotes,
  profiles.productStatus,
  profiles.vexProductStatus,
  profiles.vulnerabilityId,
  profiles.impactStatement,
  profiles.actionStatement,
  profiles.vulnerabilities,
  translation,
  remediationWithoutProductReference,
  mixedVersioning,
  versionRangeInProductVersion,
  flagWithoutProductReference,
  multipleFlagsPerProduct,
];

/** Failures kept per test; a broken 50,000-product document would otherwise make a reason of megabytes. */
export const maxFailuresPerTest = 100;

/** Validates a parsed JSON value as a CSAF 2.0 document. */
export function validateCsaf(document: unknown): CsafValidation {
  const failures: CsafFailure[] = [];
  try {
    const problem = treeProblem(document);
    if (problem !== undefined) return invalid([{ test: 'schema', path: '', message: problem }]);

    const parsed = v.safeParse(CsafDocument, document);
    if (!parsed.success) {
      const collect = collector('schema', failures);
      for (const issue of parsed.issues) collect(issuePath(issue), issue.message);
      return invalid(failures);
    }
    for (const test of mandatoryTests) test.run(parsed.output, collector(test.id, failures));
  } catch (error) {
    // A bug here must not take the feed down: the document is refused with the reason, the feed goes on.
    const reason = error instanceof Error ? error.message : String(error);
    failures.push({ test: 'schema', path: '', message: `the validator failed on this document: ${reason}` });
  }
  return failures.length === 0 ? { valid: true, failures } : invalid(failures);
}

function invalid(failures: readonly CsafFailure[]): CsafValidation {
  return { valid: false, failures };
}

function collector(test: string, failures: CsafFailure[]) {
  let count = 0;
  return (path: string, message: string) => {
    count++;
    if (count <= maxFailuresPerTest) failures.push({ test, path, message });
    else if (count === maxFailuresPerTest + 1) {
      failures.push({ test, path: '', message: `more failures of test ${test} left out` });
    }
  };
}

function issuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((item) => `/${String(item.key).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
