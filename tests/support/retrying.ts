const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Tries `attempt` every 200 ms until it returns true, as a client would through a failover: an
 * attempt that throws (a request refused while the store moves) counts as not yet.
 */
export async function retrying(what: string, attempt: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await attempt().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs} ms`);
    await sleep(200);
  }
}
