/** An ISO-8601 instant as Date#toJSON writes it. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A stored time as a base-36 count of milliseconds (8 characters for 24), when `timestamp` is an
 * instant in the form Date#toJSON writes, so that it comes back exactly; otherwise undefined.
 */
export function compactTime(timestamp: string): string | undefined {
  if (!ISO_INSTANT.test(timestamp)) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isFinite(ms) && new Date(ms).toISOString() === timestamp ? ms.toString(36) : undefined;
}

/** The ISO-8601 instant a compact time stands for. */
export function isoTime(compact: string): string {
  return new Date(parseInt(compact, 36)).toISOString();
}
