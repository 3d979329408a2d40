import { Agent, request } from 'node:http';

/**
 * The benchmark's pupils: each speaks Direct Line 3.0 over HTTP as Web Chat does (a conversation
 * started with the secret, then Bearer-token calls), sends one message at a time, and reads the
 * replies before the next step. Only the message POST is timed: it returns once the bot's turn is
 * done and its replies are in the log, so its duration is the turn's latency.
 */

// Each pupil keeps its connection, as each pupil's browser does: with Node's default of 256 free
// sockets, the rest were closed after every request and reopened in a burst of connects, which
// stalled the first turns of a phase for seconds. Idle sockets are dropped before the server's
// 5 s keep-alive timeout, so no request races a closing socket.
const agent = new Agent({ keepAlive: true, maxSockets: 2048, maxFreeSockets: 2048, timeout: 4000 });

interface HttpResult {
  status: number;
  body: unknown;
}

function call(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url, { method, agent, headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: kept as text for the error report
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Spreads requests over the instances in turn, whatever conversation they belong to. */
export class RoundRobin {
  private next = 0;
  constructor(private readonly urls: string[]) {
    if (urls.length === 0) throw new RangeError('RoundRobin needs at least one URL');
  }
  pick(): string {
    const url = this.urls[this.next % this.urls.length];
    this.next += 1;
    return url;
  }
}

/** A step of a script: free text, or a tap on one of the buttons the bot offered last. */
export type Step = { say: string } | { tap: number; otherwise: string };

/**
 * Realistic conversations: menu taps, free-text questions, follow-ups and, in one script of
 * five, a pupil asking for a person and saying yes (a hand-off into the queue).
 */
export const SCRIPTS: Step[][] = [
  [{ tap: 1, otherwise: 'post 16' }, { say: 'what are t levels' }, { say: 'tell me more' }, { tap: 0, otherwise: 'menu' }, { say: 'bye' }],
  [
    { say: 'hi' },
    { tap: 0, otherwise: 'gcse options' },
    { say: 'do i have to take a language' },
    { say: 'menu' },
    { tap: 2, otherwise: 'apprenticeships' },
    { say: 'how much do apprentices get paid' },
  ],
  [{ say: 'im 15 and dont know what to do after my gcses' }, { say: '15' }, { say: 'what is a degree apprenticeship' }, { say: 'thanks' }],
  [{ tap: 3, otherwise: 'university' }, { say: 'how much is student finance' }, { say: 'tell me more' }, { say: 'how do i get a part time job' }, { say: 'bye' }],
  [{ say: 'how do i get a job' }, { say: 'can i talk to a real person please' }, { say: 'yes' }, { say: 'ok thanks' }],
];

interface Activity {
  type?: string;
  text?: string;
  from?: { role?: string };
  suggestedActions?: { actions?: { value?: unknown }[] };
}

export interface TurnSample {
  ms: number;
  ok: boolean;
}

export interface PupilCounters {
  conversations: number;
  errors: number;
  lastError?: string;
}

/** One pupil: runs scripts back to back, each in a new conversation. */
export class Pupil {
  private conversationId = '';
  private token = '';
  private watermark = '';
  private buttons: string[] = [];
  private script: Step[] = [];
  private step = 0;

  constructor(
    private readonly targets: RoundRobin,
    private readonly secret: string,
    private scriptIndex: number,
    private readonly counters: PupilCounters,
    /** a bot reply with one of these texts (the careers bot's turn-error message) fails the turn */
    private readonly failureTexts: ReadonlySet<string> = new Set(),
  ) {}

  /** Sends the next message (starting a conversation first when needed); resolves its timing. */
  async turn(): Promise<TurnSample> {
    if (this.step >= this.script.length) await this.startConversation();
    const step = this.script[this.step];
    this.step += 1;
    const text = 'say' in step ? step.say : (this.buttons[step.tap] ?? step.otherwise);
    const started = process.hrtime.bigint();
    const sent = await call('POST', `${this.targets.pick()}/v3/directline/conversations/${this.conversationId}/activities`, this.headers(), {
      type: 'message',
      text,
      from: { id: 'pupil', role: 'user' },
      channelData: { clientActivityID: `bench-${this.step}` },
    }).catch((error: Error) => ({ status: 0, body: error.message }));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (sent.status !== 200) {
      this.fail(`message: ${sent.status} ${JSON.stringify(sent.body).slice(0, 200)}`);
      this.step = this.script.length; // start afresh next time
      return { ms, ok: false };
    }
    // A turn the server answered 200 but whose bot failed or said nothing is not a turn served.
    const replies = await this.readReplies();
    if (replies === undefined) return { ms, ok: false };
    if (replies.length === 0) {
      this.fail(`no reply to "${text}"`);
      return { ms, ok: false };
    }
    const failed = replies.find((reply) => typeof reply.text === 'string' && this.failureTexts.has(reply.text));
    if (failed) {
      this.fail(`the bot's turn failed: "${text}" was answered with its error message`);
      return { ms, ok: false };
    }
    return { ms, ok: true };
  }

  /** Opens the pupil's first conversation (its welcome read), so a phase can begin mid-conversation. */
  async open(): Promise<void> {
    if (this.step >= this.script.length) await this.startConversation();
  }

  private async startConversation(): Promise<void> {
    this.script = SCRIPTS[this.scriptIndex % SCRIPTS.length];
    this.scriptIndex += 1;
    this.step = 0;
    this.watermark = '';
    this.buttons = [];
    const started = await call('POST', `${this.targets.pick()}/v3/directline/conversations`, { authorization: `Bearer ${this.secret}` });
    if (started.status !== 201) throw new Error(`starting a conversation: ${started.status} ${JSON.stringify(started.body).slice(0, 200)}`);
    const body = started.body as { conversationId: string; token: string };
    this.conversationId = body.conversationId;
    this.token = body.token;
    this.counters.conversations += 1;
    await this.readReplies();
  }

  /** The bot's new messages (undefined when the poll failed), noting the last buttons offered. */
  private async readReplies(): Promise<Activity[] | undefined> {
    const page = await call('GET', `${this.targets.pick()}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, this.headers());
    if (page.status !== 200) {
      this.fail(`poll: ${page.status}`);
      return undefined;
    }
    const body = page.body as { activities: Activity[]; watermark: string };
    this.watermark = body.watermark;
    const replies = body.activities.filter((activity) => activity.from?.role === 'bot' && activity.type === 'message');
    for (const reply of replies) {
      const actions = reply.suggestedActions?.actions;
      if (actions && actions.length > 0) this.buttons = actions.map((action) => String(action.value ?? ''));
    }
    return replies;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, 'x-ms-bot-agent': 'DirectLine/3.0 (careers-bench)' };
  }

  private fail(reason: string): void {
    this.counters.errors += 1;
    this.counters.lastError = reason;
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}
