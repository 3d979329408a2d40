/**
 * A small Direct Line 3.0 client for tests, speaking HTTP to a running server exactly as
 * Web Chat does (Bearer token, x-ms-bot-agent, clientActivityID, watermark polling).
 */
export interface DLActivity {
  id?: string;
  type: string;
  text?: string;
  from?: { id?: string; role?: string };
  recipient?: { id?: string; role?: string };
  channelData?: { clientActivityID?: string };
  suggestedActions?: { actions: { title?: string; value?: unknown }[] };
  replyToId?: string;
  [key: string]: unknown;
}

export class DirectLineTestClient {
  watermark = '';
  readonly seen: DLActivity[] = [];

  private constructor(
    readonly baseUrl: string,
    public token: string,
    readonly conversationId: string,
    readonly streamUrl?: string,
  ) {}

  /** Gets a token the way the chat page does (at `/s/<school>` when a school is named), then starts the conversation. */
  static async start(baseUrl: string, school?: string): Promise<DirectLineTestClient> {
    const tokenResponse = await fetch(`${baseUrl}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(school ? { school } : {}) });
    if (tokenResponse.status !== 200) throw new Error(`token: ${tokenResponse.status}`);
    const { token } = (await tokenResponse.json()) as { token: string };
    const started = await fetch(`${baseUrl}/v3/directline/conversations`, { method: 'POST', headers: headers(token) });
    if (started.status !== 201) throw new Error(`start: ${started.status} ${await started.text()}`);
    const body = (await started.json()) as { conversationId: string; token: string; streamUrl?: string };
    return new DirectLineTestClient(baseUrl, body.token, body.conversationId, body.streamUrl);
  }

  /** The same conversation through another server (another instance or after a restart). */
  via(baseUrl: string): DirectLineTestClient {
    const other = new DirectLineTestClient(baseUrl, this.token, this.conversationId, this.streamUrl);
    other.watermark = this.watermark;
    other.seen.push(...this.seen);
    return other;
  }

  async send(text: string, clientActivityID = `client-${Math.random().toString(36).slice(2)}`): Promise<{ status: number; id?: string; clientActivityID: string }> {
    const response = await fetch(`${this.baseUrl}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: { ...headers(this.token), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text, from: { id: 'pupil', role: 'user' }, channelData: { clientActivityID } }),
    });
    const body = (await response.json()) as { id?: string };
    return { status: response.status, id: body.id, clientActivityID };
  }

  /** Posts any activity as Web Chat would (an event, a message with a value); resolves the status. */
  async post(activity: Record<string, unknown>): Promise<number> {
    const response = await fetch(`${this.baseUrl}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: { ...headers(this.token), 'content-type': 'application/json' },
      body: JSON.stringify({ from: { id: 'pupil', role: 'user' }, ...activity }),
    });
    await response.text();
    return response.status;
  }

  /** One poll from the current watermark; returns what was new. */
  async poll(): Promise<DLActivity[]> {
    const response = await fetch(`${this.baseUrl}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, {
      headers: headers(this.token),
    });
    if (response.status !== 200) throw new Error(`poll: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { activities: DLActivity[]; watermark: string };
    this.watermark = body.watermark;
    this.seen.push(...body.activities);
    return body.activities;
  }

  /** Polls until a bot message matching `match` has arrived after the first `after` activities. */
  async waitForBot(match: (activity: DLActivity) => boolean = () => true, timeoutMs = 5000): Promise<DLActivity> {
    const startLength = this.seen.length;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.poll();
      const found = this.seen.slice(startLength).find((activity) => activity.from?.role === 'bot' && match(activity));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching bot reply within ${timeoutMs} ms; saw ${JSON.stringify(this.seen.map((a) => a.text))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export function headers(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'x-ms-bot-agent': 'DirectLine/3.0 (directlinejs; test)' };
}
