/**
 * Whether an error means "the shared store did not answer" (down, frozen, failing over, still
 * loading), as opposed to a refusal or a bug. Callers degrade on these (a safe reply, a 503 the
 * client may retry) instead of failing with a 500.
 */
const unavailable =
  /Command timed out|Stream isn't writeable|Connection is closed|Reached the max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|Redis is not answering|^LOADING|^MASTERDOWN|^CLUSTERDOWN|^TRYAGAIN|^READONLY|Ready check failed|fallback log is full|Cluster isn't ready|None of startup nodes is available|Failed to refresh slots cache|Too many Cluster redirections|Cluster is ended/;

export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'MaxRetriesPerRequestError' || unavailable.test(error.message);
}
