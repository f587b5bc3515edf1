/**
 * A report is several aggregate statements over one tenant's data. They run in one D1 batch, so
 * they read one consistent state (a batch is a transaction) in one round trip.
 */
export interface ReportQuery<T> {
  readonly statement: D1PreparedStatement;
  /** Turns the statement's rows into the report's part. */
  readonly read: (rows: readonly unknown[]) => T;
}

type Outputs<Q extends readonly ReportQuery<unknown>[]> = {
  -readonly [K in keyof Q]: Q[K] extends ReportQuery<infer T> ? T : never;
};

export async function runReportQueries<const Q extends readonly ReportQuery<unknown>[]>(
  db: D1Database,
  queries: Q,
): Promise<Outputs<Q>> {
  const results = await db.batch(queries.map((q) => q.statement));
  return queries.map((q, i) => q.read(results[i]?.results ?? [])) as Outputs<Q>;
}
