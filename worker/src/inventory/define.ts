import type { InventoryFormat } from '@patchboard/shared/schemas/inventory';
import { InventoryBuilder } from './builder';
import type { InventoryParser } from './model';

/** What each format implements: read the text, tell the builder what it states and what is wrong. */
export type ReadInventory = (text: string, inventory: InventoryBuilder) => void;

/**
 * An {@link InventoryParser} around a format's reader. Blank uploads are refused here, once for all
 * formats: a report replaces the host's inventory, and an agent that failed to run its command
 * usually sends nothing rather than an honest empty list (`{"packages": []}` still clears a host).
 */
export function defineParser(contentType: InventoryFormat, format: string, read: ReadInventory): InventoryParser {
  return {
    contentType,
    format,
    parse(text) {
      const inventory = new InventoryBuilder();
      if (typeof text !== 'string' || text.trim() === '') {
        inventory.issue({}, 'the document is empty');
        return inventory.finish();
      }
      try {
        read(text, inventory);
      } catch (error) {
        // Readers answer with issues and never throw; this keeps a reader's bug from becoming a 500.
        inventory.issue({}, `the ${format} reader failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return inventory.finish();
    },
  };
}
