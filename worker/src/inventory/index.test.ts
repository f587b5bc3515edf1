import { inventoryFormats } from '@patchboard/shared/schemas/inventory';
import { describe, expect, it } from 'vitest';
import { inventoryParsers, parserFor } from './index';

describe('parserFor', () => {
  it('has one parser for every accepted content type, in the same order', () => {
    expect(inventoryParsers.map((parser) => parser.contentType)).toEqual([...inventoryFormats]);
    expect(new Set(inventoryParsers.map((parser) => parser.format)).size).toBe(inventoryFormats.length);
  });

  it.each(inventoryFormats)('finds the parser of %s', (contentType) => {
    expect(parserFor(contentType)?.contentType).toBe(contentType);
  });

  it('ignores case and parameters', () => {
    expect(parserFor('Text/X-Dpkg-Query; charset=utf-8')?.format).toBe('dpkg-query');
    expect(parserFor('  application/JSON ;charset=UTF-8')?.format).toBe('json');
    expect(parserFor('application/vnd.cyclonedx+json; version=1.6')?.format).toBe('cyclonedx');
  });

  it('knows no other type', () => {
    for (const contentType of [
      '',
      'text/plain',
      'application/xml',
      'application/json-seq',
      ';application/json',
      'toString',
    ]) {
      expect(parserFor(contentType)).toBeUndefined();
    }
  });
});
