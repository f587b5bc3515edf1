import type { Report } from './failures';
import type { CsafDocument } from './schema';

/** One mandatory test of CSAF 2.0 section 6.1, run on a document that passed the schema. */
export interface MandatoryTest {
  /** '6.1.1' ... '6.1.33', '6.1.27.1' ... '6.1.27.11'. */
  readonly id: string;
  /** The test's title in the standard. */
  readonly title: string;
  run(doc: CsafDocument, report: Report): void;
}
