/** Tests 6.1.23, 6.1.24, 6.1.29, 6.1.32 and 6.1.33: rules within and across vulnerability items. */
import { pointer, quote } from './failures';
import { parseDateTime } from './formats';
import type { MandatoryTest } from './mandatory-test';
import { groupMembers, productsOf } from './products';

export const multipleUseOfSameCve: MandatoryTest = {
  id: '6.1.23',
  title: 'Multiple Use of Same CVE',
  run(doc, report) {
    const seen = new Set<string>();
    doc.vulnerabilities?.forEach((vulnerability, v) => {
      const cve = vulnerability.cve;
      if (cve === undefined) return;
      if (seen.has(cve)) report(pointer('vulnerabilities', v, 'cve'), `${cve} is used by more than one vulnerability`);
      seen.add(cve);
    });
  },
};

/**
 * The same party at the same date, whatever its status. Dates are compared as instants
 * (`10:00:00Z` equals `10:00:00.000Z`); an involvement without a date has no date to collide at.
 */
export const multipleDefinitionInInvolvements: MandatoryTest = {
  id: '6.1.24',
  title: 'Multiple Definition in Involvements',
  run(doc, report) {
    doc.vulnerabilities?.forEach((vulnerability, v) => {
      const seen = new Set<string>();
      vulnerability.involvements?.forEach((involvement, i) => {
        const at = involvement.date === undefined ? undefined : parseDateTime(involvement.date);
        if (at === undefined) return;
        // Instants are canonical (fraction without trailing zeros), so equal dates give equal keys.
        const key = `${involvement.party} ${at.epochSeconds} ${at.fraction}`;
        if (seen.has(key)) {
          report(
            pointer('vulnerabilities', v, 'involvements', i),
            `party ${involvement.party} has more than one involvement at ${involvement.date}`,
          );
        }
        seen.add(key);
      });
    });
  },
};

export const remediationWithoutProductReference: MandatoryTest = {
  id: '6.1.29',
  title: 'Remediation without Product Reference',
  run(doc, report) {
    doc.vulnerabilities?.forEach((vulnerability, v) => {
      vulnerability.remediations?.forEach((remediation, i) => {
        if (remediation.product_ids === undefined && remediation.group_ids === undefined) {
          report(
            pointer('vulnerabilities', v, 'remediations', i),
            'the remediation names neither product_ids nor group_ids',
          );
        }
      });
    });
  },
};

export const flagWithoutProductReference: MandatoryTest = {
  id: '6.1.32',
  title: 'Flag without Product Reference',
  run(doc, report) {
    doc.vulnerabilities?.forEach((vulnerability, v) => {
      vulnerability.flags?.forEach((flag, i) => {
        if (flag.product_ids === undefined && flag.group_ids === undefined) {
          report(pointer('vulnerabilities', v, 'flags', i), 'the flag names neither product_ids nor group_ids');
        }
      });
    });
  },
};

/** Every flag label of CSAF 2.0 is a VEX justification code (section 3.2.3.5), so every flag counts. */
export const multipleFlagsPerProduct: MandatoryTest = {
  id: '6.1.33',
  title: 'Multiple Flags with VEX Justification Codes per Product',
  run(doc, report) {
    const groups = groupMembers(doc);
    doc.vulnerabilities?.forEach((vulnerability, v) => {
      const flagged = new Map<string, string>();
      vulnerability.flags?.forEach((flag, i) => {
        for (const id of productsOf(flag, groups)) {
          const earlier = flagged.get(id);
          if (earlier !== undefined) {
            report(
              pointer('vulnerabilities', v, 'flags', i),
              `product ${quote(id)} already has the VEX justification ${earlier}`,
            );
          } else flagged.set(id, flag.label);
        }
      });
    });
  },
};
