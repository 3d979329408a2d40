/** An ISO-8601 instant as Date#toJSON writes it. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// The last conversion each way. A turn's activities and transcript lines mostly share a
// millisecond, and a poll reads a run of entries written together, so the same time is converted
// again and again; checking and converting one costs a regular expression and two Dates.
let lastTimestamp = '';
let lastCompact: string | undefined;
let lastCompactIn = '';
let lastIso = '';

/**
 * A stored time as a base-36 count of milliseconds (8 characters for 24), when `timestamp` is an
 * instant in the form Date#toJSON writes, so that it comes back exactly; otherwise undefined.
 */
export function compactTime(timestamp: string): string | undefined {
  if (timestamp === lastTimestamp) return lastCompact;
  let compact: string | undefined;
  if (ISO_INSTANT.test(timestamp)) {
    const ms = Date.parse(timestamp);
    compact = Number.isFinite(ms) && new Date(ms).toISOString() === timestamp ? ms.toString(36) : undefined;
  }
  lastTimestamp = timestamp;
  lastCompact = compact;
  return compact;
}

/** The ISO-8601 instant a compact time stands for. */
export function isoTime(compact: string): string {
  if (compact === lastCompactIn) return lastIso;
  const iso = new Date(parseInt(compact, 36)).toISOString();
  lastCompactIn = compact;
  lastIso = iso;
  return iso;
}
