import type { ErrorDetail } from '@patchboard/shared/schemas/error';
import * as v from 'valibot';
import { ApiError } from './errors';

/** Where an input came from, for the error message. */
export type InputPart = 'body' | 'query' | 'path';

/** Valibot issues as error details: a dotted path and valibot's message. */
export function issueDetails(issues: readonly v.BaseIssue<unknown>[]): ErrorDetail[] {
  return issues.slice(0, 50).map((issue) => {
    const path = v.getDotPath(issue);
    return path ? { path, message: issue.message } : { message: issue.message };
  });
}

/** Parses an input with its schema, or answers 400 naming every field that is wrong. */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown, part: InputPart): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new ApiError(
    400,
    'validation_failed',
    `invalid ${part}: ${result.issues[0]?.message ?? 'malformed'}`,
    issueDetails(result.issues),
  );
}
