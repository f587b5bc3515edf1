import * as v from 'valibot';

/** Messages pages of the extension send to the background; anything else is ignored. */
export const StatusRequest = v.strictObject({ type: v.literal('patchboard:status') });
export type StatusRequest = v.InferOutput<typeof StatusRequest>;
