/** Milliseconds as a reader wants them: three significant digits at most below 100, whole above. */
export function formatMs(ms: number): string {
  if (ms >= 100) return Math.round(ms).toLocaleString('en-US');
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

export const formatCount = (value: number): string => value.toLocaleString('en-US');
