export const ADVISER_PASSWORD = 'a-long-test-password-1';

/** A small cookie-keeping client for the adviser API, as the console page uses it. */
export class AdviserClient {
  cookie = '';
  csrf = '';
  constructor(private readonly base: string) {}

  async login(username: string, password = ADVISER_PASSWORD): Promise<Response> {
    const response = await fetch(`${this.base}/api/adviser/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (response.status === 200) {
      this.cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
      this.csrf = ((await response.clone().json()) as { csrfToken: string }).csrfToken;
    }
    return response;
  }

  get(path: string): Promise<Response> {
    return fetch(`${this.base}/api/adviser${path}`, { headers: { cookie: this.cookie } });
  }

  post(path: string, body: unknown = {}, csrf = this.csrf): Promise<Response> {
    return fetch(`${this.base}/api/adviser${path}`, { method: 'POST', headers: { cookie: this.cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
}

/** The adviser API's other verbs, and its event stream read as text until `until` matches what has come. */
export class AdviserTools extends AdviserClient {
  constructor(private readonly root: string) {
    super(root);
  }

  send(method: 'PUT' | 'DELETE', path: string, body?: unknown, csrf = this.csrf): Promise<Response> {
    return fetch(`${this.root}/api/adviser${path}`, {
      method,
      headers: { cookie: this.cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async json<T>(path: string): Promise<T> {
    const response = await this.get(path);
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Opens GET /events; `next(match)` resolves the first event (name and data) matching, from what has arrived since the last call. */
  async events(query = ''): Promise<{ status: number; next(match: (name: string, data: unknown) => boolean, timeoutMs?: number): Promise<{ name: string; data: unknown }>; close(): void }> {
    const controller = new AbortController();
    const response = await fetch(`${this.root}/api/adviser/events${query}`, { headers: { cookie: this.cookie, accept: 'text/event-stream' }, signal: controller.signal });
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const pending: { name: string; data: unknown }[] = [];
    let reading: Promise<void> | undefined;
    let ended: unknown;
    const read = async (): Promise<void> => {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) throw new Error('the event stream ended');
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (name && data) pending.push({ name, data: JSON.parse(data) });
      }
    };
    return {
      status: response.status,
      next: async (match, timeoutMs = 8000) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const index = pending.findIndex((event) => match(event.name, event.data));
          if (index >= 0) return pending.splice(0, index + 1)[index];
          if (ended) throw ended;
          if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms`);
          // one read at a time, kept across calls; its failure (the stream closed) is kept for the next look
          reading ??= read().then(
            () => void (reading = undefined),
            (error: unknown) => void (ended = error),
          );
          await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, Math.max(1, deadline - Date.now())))]);
        }
      },
      close: () => controller.abort(),
    };
  }
}
