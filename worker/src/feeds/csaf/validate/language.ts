/**
 * Tests 6.1.12 (language tags are valid) and 6.1.28 (a translation changes the language).
 *
 * "Valid" as RFC 5646 section 2.2.9 defines it: well-formed (the schema checks lang_t), a grandfathered
 * tag or one whose language, extlang, script, region and variant subtags are in the IANA Language Subtag
 * Registry (data/language-subtags.json), and no variant or extension singleton twice. Extension contents
 * and private-use subtags are not looked up; Prefix fields of the registry are advice, not validity.
 */
import registry from './data/language-subtags.json';
import { pointer, quote } from './failures';
import type { MandatoryTest } from './mandatory-test';

const subtags = {
  language: new Set(registry.language.split(' ')),
  extlang: new Set(registry.extlang.split(' ')),
  script: new Set(registry.script.split(' ')),
  region: new Set(registry.region.split(' ')),
  variant: new Set(registry.variant.split(' ')),
  grandfathered: new Set(registry.grandfathered.split(' ')),
};

/** Why a well-formed language tag is not valid, or undefined when it is valid. */
export function languageTagProblem(tag: string): string | undefined {
  const lower = tag.toLowerCase();
  if (subtags.grandfathered.has(lower)) return undefined;
  const parts = lower.split('-');
  let i = 0;
  const next = () => parts[i] ?? '';
  if (next() === 'x') return undefined;

  const language = next();
  if (!subtags.language.has(language)) return `${quote(language)} is not a registered language subtag`;
  i++;
  for (let extlangs = 0; extlangs < 3 && /^[a-z]{3}$/.test(next()); extlangs++, i++) {
    if (!subtags.extlang.has(next())) return `${quote(next())} is not a registered extended language subtag`;
  }
  if (/^[a-z]{4}$/.test(next())) {
    if (!subtags.script.has(next())) return `${quote(next())} is not a registered script subtag`;
    i++;
  }
  if (/^([a-z]{2}|\d{3})$/.test(next())) {
    if (!subtags.region.has(next())) return `${quote(next())} is not a registered region subtag`;
    i++;
  }
  const variants = new Set<string>();
  for (; /^([a-z0-9]{5,8}|\d[a-z0-9]{3})$/.test(next()); i++) {
    if (!subtags.variant.has(next())) return `${quote(next())} is not a registered variant subtag`;
    if (variants.has(next())) return `variant ${quote(next())} appears twice`;
    variants.add(next());
  }
  const singletons = new Set<string>();
  for (; i < parts.length && next() !== 'x'; i++) {
    if (next().length !== 1) continue;
    if (singletons.has(next())) return `extension ${quote(next())} appears twice`;
    singletons.add(next());
  }
  return undefined;
}

export const language: MandatoryTest = {
  id: '6.1.12',
  title: 'Language',
  run(doc, report) {
    for (const key of ['lang', 'source_lang'] as const) {
      const tag = doc.document[key];
      const problem = tag === undefined ? undefined : languageTagProblem(tag);
      if (problem !== undefined)
        report(pointer('document', key), `${quote(tag ?? '')} is not a valid language tag: ${problem}`);
    }
  },
};

/** Language tags are case-insensitive: `en-US` and `en-us` are the same language. */
export const translation: MandatoryTest = {
  id: '6.1.28',
  title: 'Translation',
  run(doc, report) {
    const { lang, source_lang: source } = doc.document;
    if (lang !== undefined && source !== undefined && lang.toLowerCase() === source.toLowerCase()) {
      report(pointer('document', 'source_lang'), `the source language ${quote(source)} is the document's language`);
    }
  },
};
