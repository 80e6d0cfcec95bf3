// The `time` field of every log line, ISO 8601 in UTC with milliseconds, as pino's `isoTime` writes it.
// `new Date().toISOString()` per line was a measurable share of an admission's cost; within one second
// only the milliseconds change, so the rest of the text is built once per second.

const MS_PER_SECOND = 1000;

export type Clock = () => number;

/** A pino `timestamp` function: returns `,"time":"2026-12-02T01:41:43.052Z"` for the clock's now. */
export function isoTimeField(clock: Clock = Date.now): () => string {
  let cachedSecond = Number.NaN;
  let cachedPrefix = '';
  return () => {
    const now = clock();
    const second = Math.floor(now / MS_PER_SECOND);
    if (second !== cachedSecond) {
      cachedSecond = second;
      // "2026-12-02T01:41:43." — everything before the milliseconds.
      cachedPrefix = new Date(second * MS_PER_SECOND).toISOString().slice(0, 20);
    }
    const milliseconds = String(now - second * MS_PER_SECOND).padStart(3, '0');
    return `,"time":"${cachedPrefix}${milliseconds}Z"`;
  };
}
