// @ts-check
/**
 * Writes shared/src/versions/testdata/semver-differential.txt: pairs of strict SemVer versions
 * judged by node-semver's `compare` (non-loose), the reference for npm, so that semver.ts and go.ts
 * are tested against the real tool on far more than the hand-written vectors.
 *
 * The pairs are random grammar-based versions (numbers of 1 to 15 digits: node-semver refuses
 * numbers above 2^53 and reads 16-digit pre-release identifiers as text), near-equal pairs made
 * by changing one part of a version, pairs sharing a release with different pre-releases, and the
 * vector pairs node-semver accepts. A seeded PRNG makes the output the same on every run.
 *
 * Run from the repository root: node shared/scripts/versions/generate-semver.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import nodeSemver from 'semver';

const SEED = 0x5eed_2024;
const RANDOM_PAIRS = 1_500;
const SAME_RELEASE_PAIRS = 1_000;
const NEAR_EQUAL_PAIRS = 3_300;
const MAX_BYTES = 400 * 1024;
const VECTOR_FILES = ['semver-versions.txt', 'pub-versions.txt'];
const testdata = new URL('../../src/versions/testdata/', import.meta.url);
const output = new URL('semver-differential.txt', testdata);
const semverVersion = /** @type {{ version: string }} */ (createRequire(import.meta.url)('semver/package.json'))
  .version;

/** mulberry32: a small, well-mixed 32-bit PRNG; the same seed gives the same file. @param {number} seed */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
/** @param {number} n */
const below = (n) => Math.floor(random() * n);
/** @param {number} p */
const chance = (p) => random() < p;
/**
 * @template T
 * @param {readonly T[]} items
 * @returns {T}
 */
const pick = (items) => /** @type {T} */ (items[below(items.length)]);

const DIGITS = '0123456789';
const NON_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-';
const IDENTIFIER_CHARS = DIGITS + NON_DIGITS;
// Small numbers collide often, so comparisons reach the later parts; long ones test exactness.
const SMALL_NUMBERS = ['0', '0', '1', '1', '2', '3', '9', '10', '11', '99', '100'];
const WORDS = [
  'alpha',
  'beta',
  'rc',
  'Alpha',
  'RC',
  'pre',
  'dev',
  'a',
  'b',
  'A',
  '-',
  '--',
  'x-y',
  '0a',
  '9z',
  'a1',
  'a10',
];

/** @param {number} length @param {string} chars */
function randomText(length, chars) {
  let text = '';
  for (let i = 0; i < length; i++) text += chars[below(chars.length)];
  return text;
}

/** A number without leading zeros, 1 to 15 digits. */
function number() {
  if (chance(0.6)) return pick(SMALL_NUMBERS);
  const length = 1 + below(15);
  return length === 1 ? randomText(1, DIGITS) : randomText(1, DIGITS.slice(1)) + randomText(length - 1, DIGITS);
}

/** Letters, digits and hyphens with at least one non-digit, so never numeric. */
function alphanumeric() {
  if (chance(0.4)) return pick(WORDS);
  const text = randomText(1 + below(8), IDENTIFIER_CHARS);
  if (!/^\d+$/.test(text)) return text;
  const at = below(text.length + 1);
  return text.slice(0, at) + randomText(1, NON_DIGITS) + text.slice(at);
}

const prereleaseIdentifier = () => (chance(0.4) ? number() : alphanumeric());
// Build identifiers may have leading zeros; node-semver ignores them all the same.
const buildIdentifier = () =>
  chance(0.3) ? randomText(1 + below(3), DIGITS) : randomText(1 + below(6), IDENTIFIER_CHARS);

/** @param {() => string} identifier */
function identifiers(identifier) {
  const list = [];
  for (let i = 1 + below(4); i > 0; i--) list.push(identifier());
  return list;
}

/** @typedef {{ release: string[], prerelease: string[], build: string[] }} Parts */

/** @returns {Parts} */
function randomParts() {
  return {
    release: [number(), number(), number()],
    prerelease: chance(0.5) ? identifiers(prereleaseIdentifier) : [],
    build: chance(0.25) ? identifiers(buildIdentifier) : [],
  };
}

/** @param {Parts} parts */
function format(parts) {
  let version = parts.release.join('.');
  if (parts.prerelease.length > 0) version += `-${parts.prerelease.join('.')}`;
  if (parts.build.length > 0) version += `+${parts.build.join('.')}`;
  return version;
}

/** A neighbouring number: one more or less, or one digit longer or shorter; at most 15 digits. @param {string} digits */
function nearNumber(digits) {
  const value = BigInt(digits);
  let near;
  switch (below(4)) {
    case 0:
      near = String(value + 1n);
      break;
    case 1:
      near = String(value > 0n ? value - 1n : 1n);
      break;
    case 2:
      near = digits === '0' ? '10' : digits + randomText(1, DIGITS);
      break;
    default:
      near = digits.length > 1 ? digits.slice(0, -1) : String(value + 10n);
  }
  return near.length > 15 ? digits.slice(0, -1) : near;
}

/** A neighbouring identifier: a changed number, a changed letter case, one more character. @param {string} id */
function nearIdentifier(id) {
  if (/^\d+$/.test(id)) return chance(0.7) ? nearNumber(id) : id + randomText(1, NON_DIGITS);
  switch (below(4)) {
    case 0: {
      const swapped = id === id.toLowerCase() ? id.toUpperCase() : id.toLowerCase();
      return swapped === id ? `${id}-` : swapped;
    }
    case 1:
      return id + randomText(1, IDENTIFIER_CHARS);
    case 2:
      return id.length > 1 && !/^\d+$/.test(id.slice(0, -1)) ? id.slice(0, -1) : `${id}a`;
    default:
      return number();
  }
}

/** The same version with one part changed. @param {Parts} parts @returns {Parts} */
function mutate(parts) {
  const next = { release: [...parts.release], prerelease: [...parts.prerelease], build: [...parts.build] };
  const at = (/** @type {string[]} */ list) => below(list.length);
  switch (below(8)) {
    case 0:
    case 1: {
      const i = below(3);
      next.release[i] = nearNumber(/** @type {string} */ (next.release[i]));
      break;
    }
    case 2:
      next.prerelease.push(prereleaseIdentifier());
      break;
    case 3:
      if (next.prerelease.length > 0) next.prerelease.pop();
      else next.prerelease = identifiers(prereleaseIdentifier);
      break;
    case 4:
    case 5:
      if (next.prerelease.length > 0) {
        const i = at(next.prerelease);
        next.prerelease[i] = nearIdentifier(/** @type {string} */ (next.prerelease[i]));
      } else next.prerelease = [prereleaseIdentifier()];
      break;
    case 6:
      next.prerelease = [];
      break;
    default:
      // Only the build changes: node-semver must say `=`.
      next.build = next.build.length > 0 && chance(0.5) ? [] : identifiers(buildIdentifier);
  }
  return next;
}

/** @type {Map<string, string>} line by `A B`, so each pair appears once */
const lines = new Map();
const ops = /** @type {const} */ (['<', '=', '>']);

/** Adds a pair unless already there (either way round); true when added. @param {string} a @param {string} b */
function add(a, b) {
  for (const version of [a, b]) {
    if (nodeSemver.valid(version) === null) throw new Error(`generator bug: ${version} is not strict SemVer`);
  }
  if (a === b || lines.has(`${a} ${b}`) || lines.has(`${b} ${a}`)) return false;
  lines.set(`${a} ${b}`, `${a} ${ops[nodeSemver.compare(a, b) + 1]} ${b}`);
  return true;
}

for (let i = 0; i < RANDOM_PAIRS; i++) add(format(randomParts()), format(randomParts()));

for (let i = 0; i < SAME_RELEASE_PAIRS; i++) {
  const a = randomParts();
  const b = { ...randomParts(), release: a.release };
  add(format(a), format(b));
}

for (let i = 0; i < NEAR_EQUAL_PAIRS; i++) {
  const a = randomParts();
  const b = mutate(a);
  if (chance(0.5)) add(format(a), format(b));
  else add(format(b), format(a));
}

let fromVectors = 0;
for (const file of VECTOR_FILES) {
  for (const line of readFileSync(new URL(file, testdata), 'utf8').split('\n')) {
    const [a, op, b] = line.split(' ');
    if (a === undefined || b === undefined || !['<', '=', '>'].includes(op ?? '')) continue;
    if (nodeSemver.valid(a) === null || nodeSemver.valid(b) === null) continue;
    if (add(a, b)) fromVectors++;
  }
}

const header = [
  `# Generated by \`node shared/scripts/versions/generate-semver.mjs\` (from the repository root) with node-semver ${semverVersion}: compare(a, b), strict, not loose.`,
  `# ${lines.size} pairs: random, same-release, near-equal (one part changed) and ${fromVectors} from ${VECTOR_FILES.join(', ')}; seed 0x${SEED.toString(16)}. Do not edit.`,
];
const text = `${[...header, ...lines.values()].join('\n')}\n`;
if (text.length > MAX_BYTES) throw new Error(`${text.length} bytes, more than ${MAX_BYTES}`);
writeFileSync(output, text);

const counts = { '<': 0, '=': 0, '>': 0 };
for (const line of lines.values()) counts[/** @type {'<' | '=' | '>'} */ (line.split(' ')[1])]++;
console.log(`${output.pathname}: ${lines.size} pairs (${JSON.stringify(counts)}), ${text.length} bytes`);
