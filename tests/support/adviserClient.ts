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
