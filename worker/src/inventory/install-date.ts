/**
 * Install dates as Windows tools print them, as ISO 8601 calendar dates (YYYY-MM-DD). Every reader
 * answers undefined for what it cannot read: a date is nice to have, never a reason to refuse.
 */

const day = 86_400_000;

function isoDate(year: number, month: number, dayOfMonth: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, dayOfMonth));
  if (year < 1970 || year > 9999 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== dayOfMonth) {
    return undefined;
  }
  return date.toISOString().slice(0, 10);
}

/**
 * `/Date(1705968000000)/`, Windows PowerShell 5.1's DateTime: milliseconds since 1970 in UTC of
 * what was a local midnight (Win32_QuickFixEngineering only knows the day). Rounding to the nearest
 * UTC midnight gives back the local day for every time zone from UTC-11 to UTC+12.
 */
function fromMsAjaxDate(text: string): string | undefined {
  const match = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/.exec(text);
  if (match?.[1] === undefined) return undefined;
  const nearestMidnight = new Date(Math.round(Number(match[1]) / day) * day);
  return isoDate(nearestMidnight.getUTCFullYear(), nearestMidnight.getUTCMonth() + 1, nearestMidnight.getUTCDate());
}

const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** The `DateTime` text PowerShell 5.1 adds in an en-US session: `Tuesday, January 23, 2024 12:00:00 AM`. */
function fromEnglishLongDate(text: string): string | undefined {
  const match = /^(?:[A-Za-z]+, )?([A-Za-z]+) (\d{1,2}), (\d{4})\b/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) return undefined;
  const month = months.indexOf(match[1].toLowerCase()) + 1;
  return month === 0 ? undefined : isoDate(Number(match[3]), month, Number(match[2]));
}

/** A date as text: ISO (PowerShell 7), `M/D/YYYY` (WMI's InstalledOn), `YYYYMMDD` (registry InstallDate). */
function fromText(text: string): string | undefined {
  const trimmed = text.trim();
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(trimmed);
  if (match !== null) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:$| )/.exec(trimmed);
  if (match !== null) {
    const [first, second, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    // WMI writes month/day; a first number above 12 can only be a day (a day/month locale).
    return first > 12 ? isoDate(year, second, first) : isoDate(year, first, second);
  }
  match = /^(\d{4})(\d{2})(\d{2})$/.exec(trimmed);
  if (match !== null) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  return fromMsAjaxDate(trimmed) ?? fromEnglishLongDate(trimmed);
}

/**
 * The install date of a Windows update or program in any of the shapes Windows tools emit:
 * a string, or Windows PowerShell 5.1's `{"value": "/Date(…)/", "DateTime": "…"}`.
 */
export function windowsInstallDate(value: unknown): string | undefined {
  if (typeof value === 'string') return fromText(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { value: inner, DateTime: text } = value as { value?: unknown; DateTime?: unknown };
    const fromValue = typeof inner === 'string' ? fromText(inner) : undefined;
    return fromValue ?? (typeof text === 'string' ? fromText(text) : undefined);
  }
  return undefined;
}
