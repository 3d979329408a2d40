import type { ErrorBody } from '../shared/consoleApi';

export interface ApiResponse<T> {
  status: number;
  ok: boolean;
  /** the JSON body, or null when there is none */
  data: T | null;
  headers: Headers;
}

/** Thrown (and dropped by callers) when an answer arrives after its session has ended. */
export class SessionEnded extends Error {
  constructor() {
    super('the adviser session has ended');
    this.name = 'SessionEnded';
  }
}

/**
 * The adviser API as the console calls it: the CSRF token on every state change, and each answer
 * typed by the shared API types (shared/consoleApi.ts), which the server is compiled against.
 */
export class Api {
  csrfToken: string | null = null;
  /** bumped at every sign-in and sign-out, so late answers from an old session are dropped */
  session = 0;

  constructor(private readonly onSessionEnded: () => void) {}

  /** One call. Resolves for any HTTP status; rejects only on network failure. */
  async request<T>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (method !== 'GET') {
      if (method !== 'DELETE') {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body ?? {});
      }
      if (path !== '/api/adviser/login' && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    }
    const response = await fetch(path, init);
    const type = response.headers.get('Content-Type') ?? '';
    let data: T | null = null;
    if (response.status !== 204 && type.includes('json')) {
      // The console trusts its own server's JSON, whose shape the shared types describe.
      data = await response.json().catch(() => null);
    }
    return { status: response.status, ok: response.ok, data, headers: response.headers };
  }

  /** A call made while signed in: a 401 means the session has ended, so sign-in is shown again. */
  async call<T>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const session = this.session;
    const response = await this.request<T>(method, path, body);
    if (session !== this.session) throw new SessionEnded();
    if (response.status === 401) {
      this.onSessionEnded();
      throw new SessionEnded();
    }
    return response;
  }
}

/** The server's reason for a refusal, or the fallback. */
export function errorMessage(response: ApiResponse<unknown> | null, fallback: string): string {
  const data = response?.data;
  if (isErrorBody(data) && data.error.message) return data.error.message;
  return fallback;
}

export function isErrorBody(data: unknown): data is ErrorBody {
  return typeof data === 'object' && data !== null && 'error' in data && typeof data.error === 'object' && data.error !== null && 'message' in data.error && typeof data.error.message === 'string';
}

export function conversationPath(id: string, action?: string): string {
  return `/api/adviser/conversations/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}
