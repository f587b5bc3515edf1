import { describe, expect, it } from 'vitest';
import { windowsInstallDate } from './install-date';

describe('windowsInstallDate', () => {
  it.each([
    ['1/23/2024', '2024-01-23'],
    ['12/1/2023', '2023-12-01'],
    ['23/1/2024', '2024-01-23'],
    ['20240123', '2024-01-23'],
    ['2024-01-23T00:00:00', '2024-01-23'],
    ['2024-01-23', '2024-01-23'],
    ['/Date(1705968000000)/', '2024-01-23'],
    ['/Date(1705968000000+0100)/', '2024-01-23'],
    ['Tuesday, January 23, 2024 12:00:00 AM', '2024-01-23'],
  ])('reads %s as %s', (text, date) => {
    expect(windowsInstallDate(text)).toBe(date);
  });

  it.each([
    '',
    '2/30/2024',
    '13/13/2024',
    '01d4b1d4c5e1f2a0',
    '2024-13-01',
    'January 32, 2024',
    '/Date(99999999999999999)/',
  ])('leaves %s out', (text) => {
    expect(windowsInstallDate(text)).toBeUndefined();
  });

  it('reads Windows PowerShell 5.1 DateTime objects and ignores other values', () => {
    expect(windowsInstallDate({ value: '/Date(1705968000000)/', DateTime: 'ignored' })).toBe('2024-01-23');
    expect(windowsInstallDate({ DateTime: 'Tuesday, January 23, 2024 12:00:00 AM' })).toBe('2024-01-23');
    for (const value of [null, undefined, 1705968000000, [], {}]) expect(windowsInstallDate(value)).toBeUndefined();
  });
});
