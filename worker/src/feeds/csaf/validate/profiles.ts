/**
 * Tests 6.1.27.1 to 6.1.27.11: what the profiles Security Incident Response, Informational Advisory,
 * Security Advisory and VEX require. Each applies only to the `/document/category` values it names.
 */
import { pointer, quote } from './failures';
import type { MandatoryTest } from './mandatory-test';
import { groupMembers, productsOf } from './products';
import type { CsafDocument } from './schema';

type Category =
  | 'csaf_security_incident_response'
  | 'csaf_informational_advisory'
  | 'csaf_security_advisory'
  | 'csaf_vex';

function profileTest(
  id: string,
  title: string,
  categories: readonly Category[],
  run: MandatoryTest['run'],
): MandatoryTest {
  return {
    id,
    title,
    run(doc: CsafDocument, report) {
      if ((categories as readonly string[]).includes(doc.document.category)) run(doc, report);
    },
  };
}

const noteCategories = new Set(['description', 'details', 'general', 'summary']);

export const documentNotes = profileTest(
  '6.1.27.1',
  'Document Notes',
  ['csaf_informational_advisory', 'csaf_security_incident_response'],
  (doc, report) => {
    if (!doc.document.notes?.some((note) => noteCategories.has(note.category))) {
      report(
        pointer('document', 'notes'),
        'the document needs a note of category description, details, general or summary',
      );
    }
  },
);

/** A reference without a category is external: that is the schema's default. */
export const documentReferences = profileTest(
  '6.1.27.2',
  'Document References',
  ['csaf_informational_advisory', 'csaf_security_incident_response'],
  (doc, report) => {
    if (!doc.document.references?.some((reference) => (reference.category ?? 'external') === 'external')) {
      report(pointer('document', 'references'), 'the document needs a reference of category external');
    }
  },
);

export const noVulnerabilities = profileTest(
  '6.1.27.3',
  'Vulnerabilities',
  ['csaf_informational_advisory'],
  (doc, report) => {
    if (doc.vulnerabilities !== undefined) {
      report(pointer('vulnerabilities'), 'an informational advisory must not have vulnerabilities');
    }
  },
);

export const productTree = profileTest(
  '6.1.27.4',
  'Product Tree',
  ['csaf_security_advisory', 'csaf_vex'],
  (doc, report) => {
    if (doc.product_tree === undefined)
      report(pointer('product_tree'), `a ${doc.document.category} needs a product tree`);
  },
);

export const vulnerabilityNotes = profileTest(
  '6.1.27.5',
  'Vulnerability Notes',
  ['csaf_security_advisory', 'csaf_vex'],
  (doc, report) => {
    doc.vulnerabilities?.forEach((vulnerability, v) => {
      if (vulnerability.notes === undefined)
        report(pointer('vulnerabilities', v, 'notes'), 'the vulnerability needs notes');
    });
  },
);

export const productStatus = profileTest('6.1.27.6', 'Product Status', ['csaf_security_advisory'], (doc, report) => {
  doc.vulnerabilities?.forEach((vulnerability, v) => {
    if (vulnerability.product_status === undefined) {
      report(pointer('vulnerabilities', v, 'product_status'), 'the vulnerability needs a product status');
    }
  });
});

export const vexProductStatus = profileTest('6.1.27.7', 'VEX Product Status', ['csaf_vex'], (doc, report) => {
  doc.vulnerabilities?.forEach((vulnerability, v) => {
    const status = vulnerability.product_status;
    const {
      fixed,
      known_affected: affected,
      known_not_affected: notAffected,
      under_investigation: open,
    } = status ?? {};
    if (fixed === undefined && affected === undefined && notAffected === undefined && open === undefined) {
      report(
        pointer('vulnerabilities', v, 'product_status'),
        'the product status needs fixed, known_affected, known_not_affected or under_investigation',
      );
    }
  });
});

export const vulnerabilityId = profileTest('6.1.27.8', 'Vulnerability ID', ['csaf_vex'], (doc, report) => {
  doc.vulnerabilities?.forEach((vulnerability, v) => {
    if (vulnerability.cve === undefined && vulnerability.ids === undefined) {
      report(pointer('vulnerabilities', v), 'the vulnerability needs a cve or ids');
    }
  });
});

/** Flags of any label, or threats of category impact, that reach the product directly or through a group. */
export const impactStatement = profileTest('6.1.27.9', 'Impact Statement', ['csaf_vex'], (doc, report) => {
  const groups = groupMembers(doc);
  doc.vulnerabilities?.forEach((vulnerability, v) => {
    const covered = new Set<string>();
    for (const flag of vulnerability.flags ?? []) for (const id of productsOf(flag, groups)) covered.add(id);
    for (const threat of vulnerability.threats ?? []) {
      if (threat.category === 'impact') for (const id of productsOf(threat, groups)) covered.add(id);
    }
    vulnerability.product_status?.known_not_affected?.forEach((id, i) => {
      if (!covered.has(id)) {
        report(
          pointer('vulnerabilities', v, 'product_status', 'known_not_affected', i),
          `product ${quote(id)} is not affected, but no flag or impact threat says why`,
        );
      }
    });
  });
});

export const actionStatement = profileTest('6.1.27.10', 'Action Statement', ['csaf_vex'], (doc, report) => {
  const groups = groupMembers(doc);
  doc.vulnerabilities?.forEach((vulnerability, v) => {
    const covered = new Set<string>();
    for (const remediation of vulnerability.remediations ?? []) {
      for (const id of productsOf(remediation, groups)) covered.add(id);
    }
    vulnerability.product_status?.known_affected?.forEach((id, i) => {
      if (!covered.has(id)) {
        report(
          pointer('vulnerabilities', v, 'product_status', 'known_affected', i),
          `product ${quote(id)} is affected, but no remediation says what to do`,
        );
      }
    });
  });
});

export const vulnerabilities = profileTest(
  '6.1.27.11',
  'Vulnerabilities',
  ['csaf_security_advisory', 'csaf_vex'],
  (doc, report) => {
    if (doc.vulnerabilities === undefined) {
      report(pointer('vulnerabilities'), `a ${doc.document.category} needs vulnerabilities`);
    }
  },
);
