/** The schema of one baseline run (a fresh name per run, so runs never see each other's rows) and its two tables. */
export interface BaselineTables {
  readonly schema: string;
  readonly stock: string;
  readonly orders: string;
}

export function baselineTables(runId: string): BaselineTables {
  const schema = `bench_${runId.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  return { schema, stock: `${schema}.stock`, orders: `${schema}.orders` };
}
