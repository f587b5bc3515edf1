import { describe, expect, it } from 'vitest';
import { chooseFormat } from './negotiate';

const offers = [
  ['application/json', 'json'],
  ['text/csv', 'csv'],
] as const;
const choose = (accept: string | undefined, explicit?: 'json' | 'csv') =>
  chooseFormat(explicit, accept, offers, 'json');

describe('chooseFormat', () => {
  it('takes ?format= over any Accept header', () => {
    expect(choose('text/csv', 'json')).toBe('json');
    expect(choose('application/json', 'csv')).toBe('csv');
  });

  it('follows Accept when it names an offered type', () => {
    expect(choose('text/csv')).toBe('csv');
    expect(choose('Text/CSV; charset=utf-8')).toBe('csv');
    expect(choose('text/html, text/csv;q=0.9, */*;q=0.1')).toBe('csv');
  });

  it('weighs q-values, and gives ties and wildcards to the default', () => {
    expect(choose('text/csv;q=0.5, application/json')).toBe('json');
    expect(choose('application/json;q=0.2, text/csv;q=0.8')).toBe('csv');
    expect(choose('text/csv, application/json')).toBe('json');
    expect(choose('*/*')).toBe('json');
    expect(choose('text/*')).toBe('json');
  });

  it('answers the default for no header, unknown types, q=0 and malformed weights', () => {
    expect(choose(undefined)).toBe('json');
    expect(choose('')).toBe('json');
    expect(choose('application/xml')).toBe('json');
    expect(choose('text/csv;q=0')).toBe('json');
    expect(choose('text/csv;q=abc')).toBe('json');
    expect(choose('text/csv;q=2')).toBe('json');
  });
});
