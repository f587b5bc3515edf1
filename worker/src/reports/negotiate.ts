/**
 * Which representation to send: `?format=` when given, else the offered media type the Accept
 * header weights highest (exact types only; a wildcard or nothing offered means no preference),
 * else the default. Ties go to the default, then to the order of `offers`. An Accept header that
 * names nothing offered gets the default rather than a 406, as RFC 9110 allows.
 */
export function chooseFormat<F extends string>(
  explicit: F | undefined,
  accept: string | undefined,
  offers: readonly (readonly [mediaType: string, format: F])[],
  fallback: F,
): F {
  if (explicit !== undefined) return explicit;
  const weights = acceptWeights(accept ?? '');
  let best = fallback;
  let bestWeight = 0;
  for (const [type, format] of offers) {
    const weight = weights.get(type) ?? 0;
    if (weight > bestWeight || (weight === bestWeight && weight > 0 && format === fallback)) {
      best = format;
      bestWeight = weight;
    }
  }
  return best;
}

/** Media type (lower case, without parameters) to its q-value; the highest when named twice. */
function acceptWeights(accept: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type === '') continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (!Number.isFinite(weight) || weight < 0 || weight > 1) continue;
    weights.set(type, Math.max(weight, weights.get(type) ?? 0));
  }
  return weights;
}
