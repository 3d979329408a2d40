export function redisUnavailable(error: unknown): Error {
  return new Error(`Redis is not answering: ${error instanceof Error ? error.message : String(error)}`);
}
