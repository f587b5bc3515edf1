/**
 * What the schema check cannot be trusted with: input nested so deep that recursive validation would
 * overflow the stack, a hand-built object graph with a cycle, and one that shares sub-objects so often
 * that walking it never ends (an array holding the same array twice, 60 levels deep, is 2^60 nodes).
 * JSON.parse never makes the last two; a caller passing built objects might. One loop, no recursion.
 */

/** Deeper than any real CSAF document (Red Hat's nest about 15 levels); about 45 levels of branches. */
export const maxDepth = 100;

/** Objects and arrays walked at most; a 100 MB document has fewer. */
export const maxNodes = 5_000_000;

/** Why the input cannot be validated, or undefined when it is fit for the schema check. */
export function treeProblem(input: unknown): string | undefined {
  const ancestors = new WeakSet<object>();
  const stack: { readonly value: object; readonly depth: number; readonly leaving: boolean }[] = [];
  if (input !== null && typeof input === 'object') stack.push({ value: input, depth: 0, leaving: false });
  let nodes = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, depth } = item;
    if (item.leaving) {
      ancestors.delete(value);
      continue;
    }
    if (depth >= maxDepth) return `the document nests deeper than ${maxDepth} levels`;
    if (ancestors.has(value)) return 'the document is not JSON: an object contains itself';
    if (++nodes > maxNodes) return `the document has more than ${maxNodes} objects and arrays`;
    ancestors.add(value);
    stack.push({ value, depth, leaving: true });
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1, leaving: false });
    }
  }
  return undefined;
}
