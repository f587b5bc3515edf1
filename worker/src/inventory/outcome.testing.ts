import type { ErrorDetail } from '@patchboard/shared/schemas/error';
import type { ParsedInventory, ParsedPackage, ParseOutcome } from './model';

/** Test helpers: the inventory of a successful outcome, or its issues; fail loudly otherwise. */

export function inventoryOf(outcome: ParseOutcome): ParsedInventory {
  if (!outcome.ok) throw new Error(`expected an inventory, got issues ${JSON.stringify(outcome.issues, null, 1)}`);
  return outcome.inventory;
}

export function issuesOf(outcome: ParseOutcome): readonly ErrorDetail[] {
  if (outcome.ok) throw new Error(`expected issues, got ${outcome.inventory.packages.length} packages`);
  return outcome.issues;
}

/** The packages of that name (several when installed in several versions or architectures). */
export function packagesNamed(inventory: ParsedInventory, name: string): ParsedPackage[] {
  return inventory.packages.filter((pkg) => pkg.name === name);
}

export function packageNamed(inventory: ParsedInventory, name: string): ParsedPackage {
  const found = packagesNamed(inventory, name);
  if (found.length !== 1 || found[0] === undefined)
    throw new Error(`expected one package ${name}, found ${found.length}`);
  return found[0];
}
