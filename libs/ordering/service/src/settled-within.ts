/**
 * The promise's value if it settles within `ms`, else `elapsed` (the promise keeps running; a
 * caller that still wants its answer keeps the promise). A rejection within `ms` rejects.
 */
export async function settledWithin<Value, Elapsed>(
  promise: Promise<Value>,
  ms: number,
  elapsed: Elapsed,
): Promise<Value | Elapsed> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Elapsed>((resolve) => {
    timer = setTimeout(() => resolve(elapsed), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
