/** Test 6.1.26: a document of the CSAF Base profile does not take the name of another profile. */
import { pointer, quote } from './failures';
import type { MandatoryTest } from './mandatory-test';

/** The values of `/document/category` that select a profile; the test applies to every other value. */
export const profileCategories = [
  'csaf_base',
  'csaf_security_incident_response',
  'csaf_informational_advisory',
  'csaf_security_advisory',
  'csaf_vex',
] as const;

/** Names (without `csaf_`) and values of the profiles other than CSAF Base, without dashes, white space and underscores. */
const prohibited = new Set(
  profileCategories
    .filter((category) => category !== 'csaf_base')
    .flatMap((category) => [category, category.replace(/^csaf_/, '')])
    .map(normalize),
);

function normalize(value: string): string {
  return value.replace(/[-_\s]/g, '').toLowerCase();
}

export const prohibitedDocumentCategoryName: MandatoryTest = {
  id: '6.1.26',
  title: 'Prohibited Document Category Name',
  run(doc, report) {
    const category = doc.document.category;
    if ((profileCategories as readonly string[]).includes(category)) return;
    const path = pointer('document', 'category');
    // The reserved prefix in any case: the standard lists `Csaf_a` among the prohibited values.
    if (category.toLowerCase().startsWith('csaf_')) {
      report(path, `${quote(category)} starts with the reserved prefix csaf_`);
    } else if (prohibited.has(normalize(category))) {
      report(path, `${quote(category)} is the name of another profile than CSAF Base`);
    }
  },
};
