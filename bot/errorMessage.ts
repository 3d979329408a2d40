/** The message of whatever was thrown, for logs and error replies (never a stack). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
