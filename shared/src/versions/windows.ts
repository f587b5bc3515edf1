/**
 * Windows build numbers as Microsoft's update data name them (`10.0.20348.2402`: major, minor,
 * build, update build revision). One to four dot-separated decimal components; missing trailing
 * ones are 0, so `10.0.20348` = `10.0.20348.0`. Components compare by value at any length (leading
 * zeros are read by value too); anything else is refused rather than guessed at.
 */
import { compareDigits, numberKey } from './key';
import { defineScheme, type InvalidVersion, invalid, type Order, type SchemeSpec } from './scheme';

const COMPONENTS = 4;

/** Exactly four digit strings. */
export type WindowsBuild = readonly string[];

function parseWindowsBuild(version: string): WindowsBuild | InvalidVersion {
  const parts = version.split('.');
  if (parts.length > COMPONENTS) return invalid(version, `more than ${COMPONENTS} components`);
  for (const part of parts) {
    if (part === '') return invalid(version, 'empty component');
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 48 || c > 57) return invalid(version, `component "${part}" is not a decimal number`);
    }
  }
  while (parts.length < COMPONENTS) parts.push('0');
  return parts;
}

function compareWindowsBuild(a: WindowsBuild, b: WindowsBuild): Order {
  for (let i = 0; i < COMPONENTS; i++) {
    const order = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

/** The four numberKeys: each is prefix-free and there are always four, so they concatenate. */
function windowsBuildKey(parsed: WindowsBuild): string {
  return parsed.map(numberKey).join('');
}

export const windowsBuildSpec: SchemeSpec<WindowsBuild> = {
  name: 'windows',
  parse: parseWindowsBuild,
  compare: compareWindowsBuild,
  key: windowsBuildKey,
};

/** Windows: build numbers such as `10.0.20348.2402`. */
export const windowsBuild = defineScheme(windowsBuildSpec);
