import { IssueList, type Location } from './issues';
import type { ParsedHotfix, ParsedPackage, ParseOutcome } from './model';
import { quote } from './text';

/** The same caps as the `application/json` schema, so that no format lets a bigger inventory in. */
export const maxPackages = 100_000;
export const maxHotfixes = 10_000;

/** Longest accepted value of each package field; `arch` and the rest follow the JSON schema. */
const maxLength = {
  name: 256,
  version: 256,
  arch: 32,
  source: 256,
  sourceVersion: 256,
  ecosystem: 64,
  purl: 1024,
} as const satisfies Partial<Record<keyof ParsedPackage, number>>;

type CheckedField = keyof typeof maxLength;

// Control characters never occur in a package manager's names or versions; a NUL would reach the database.
const controlCharacter = /\p{Cc}/u;

/**
 * Collects what one document states: packages are checked (non-empty, bounded, printable),
 * identical ones kept once, and every problem noted with its place. A document with any problem
 * is refused as a whole, since a report replaces the host's inventory and a partial one would
 * look like uninstalled software.
 */
export class InventoryBuilder {
  readonly issues = new IssueList();
  readonly #packages = new Map<string, ParsedPackage>();
  readonly #hotfixes = new Map<string, ParsedHotfix>();
  readonly #overflowed = new Set<string>();

  issue(at: Location, message: string): void {
    this.issues.add(at, message);
  }

  /** Adds a package as the format states it; fields are trimmed and empty optional ones dropped. */
  addPackage(candidate: ParsedPackage, at: Location): void {
    const pkg = this.#checked(candidate, at);
    if (pkg === undefined) return;
    const key = JSON.stringify([pkg.packageManager, pkg.ecosystem, pkg.name, pkg.version, pkg.arch]);
    if (this.#packages.has(key)) return;
    if (this.#packages.size >= maxPackages) {
      this.#tooMany('packages', maxPackages, at);
      return;
    }
    this.#packages.set(key, pkg);
  }

  /** Adds a hotfix whose id is already normalised (see `readHotfixId`); a date is kept from whichever mention has one. */
  addHotfix(hotfix: ParsedHotfix, at: Location): void {
    const known = this.#hotfixes.get(hotfix.kb);
    if (known !== undefined) {
      if (known.installedOn === undefined && hotfix.installedOn !== undefined) this.#hotfixes.set(hotfix.kb, hotfix);
      return;
    }
    if (this.#hotfixes.size >= maxHotfixes) {
      this.#tooMany('hotfixes', maxHotfixes, at);
      return;
    }
    this.#hotfixes.set(hotfix.kb, hotfix);
  }

  finish(): ParseOutcome {
    if (this.issues.count > 0) return { ok: false, issues: this.issues.toArray() };
    return { ok: true, inventory: { packages: [...this.#packages.values()], hotfixes: [...this.#hotfixes.values()] } };
  }

  #tooMany(what: string, max: number, at: Location): void {
    if (this.#overflowed.has(what)) return;
    this.#overflowed.add(what);
    this.issue(at, `more than ${max} ${what}`);
  }

  #checked(candidate: ParsedPackage, at: Location): ParsedPackage | undefined {
    const name = candidate.name.trim();
    const what = name === '' ? 'a package' : `package ${quote(name)}`;
    const checked: { -readonly [F in CheckedField]?: string } = {};
    let valid = true;
    for (const field of Object.keys(maxLength) as CheckedField[]) {
      const value = candidate[field]?.trim();
      if (value === undefined || value === '') {
        if (field === 'name' || field === 'version') {
          this.issue(at, `${what} has an empty ${field}`);
          valid = false;
        }
      } else if (value.length > maxLength[field]) {
        this.issue(at, `the ${field} of ${what} is longer than ${maxLength[field]} characters`);
        valid = false;
      } else if (controlCharacter.test(value)) {
        this.issue(at, `the ${field} of ${what} has a control character`);
        valid = false;
      } else {
        checked[field] = value;
      }
    }
    if (!valid || checked.name === undefined || checked.version === undefined) return undefined;
    return {
      ...checked,
      name: checked.name,
      version: checked.version,
      ...(candidate.packageManager !== undefined && { packageManager: candidate.packageManager }),
    };
  }
}
