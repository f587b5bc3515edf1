/**
 * The tab-separated form of an instruction, for the sh agent (docs/agent-protocol.md): one
 * directive per line, fields separated by TAB, no quoting, so sh reads it with `IFS=<tab> read`
 * and runs argv as `"$@"` without ever parsing JSON or evaluating text.
 */
import type { Instruction } from '@patchboard/shared/schemas/agent';

/** The commands module never generates these; this refuses to send one if it ever did. */
const UNSAFE = /[\t\r\n\0]/;

function line(...fields: readonly string[]): string {
  for (const field of fields) {
    if (UNSAFE.test(field))
      throw new Error(`refusing to send a field with a TAB, CR, LF or NUL: ${JSON.stringify(field)}`);
  }
  return `${fields.join('\t')}\n`;
}

export function renderInstruction(instruction: Instruction): string {
  let text = line('job', String(instruction.job)) + line('lease', instruction.lease) + line('step', instruction.step);
  if (instruction.result) {
    text += line('result', instruction.result);
    text += line('reason', (instruction.reason ?? '').replace(/[\t\r\n\0]+/g, ' '));
  }
  for (const command of instruction.commands) {
    text += command.mode === 'report' ? line('report') : line(command.mode, ...command.argv);
  }
  return text;
}
