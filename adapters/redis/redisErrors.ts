import { errorMessage } from '../../bot/errorMessage';
/** The reason /readyz and the start-up check give when Redis does not answer. */
export function redisUnavailable(error: unknown): Error {
  return new Error(`Redis is not answering: ${errorMessage(error)}`);
}

/** Rejects after `ms` so a caller is never held longer than it can afford; the timer is always cleared. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
