import type { ConsoleEventData, PresenceResponse, QueueResponse } from '../shared/consoleApi';
import { errorMessage, SessionEnded } from './api';
import { setText } from './dom';
import type { ConsoleState } from './state';

export interface LiveHandlers {
  queue(items: QueueResponse['items']): void;
  presence(advisers: PresenceResponse['advisers']): void;
  /** the open conversation has changed */
  conversation(): Promise<void>;
  signedOut(): void;
}

const QUEUE_POLL_MS = 3_000;
const CONVERSATION_POLL_MS = 2_000;
const PRESENCE_POLL_MS = 15_000;
const STREAM_RETRY_MS = 30_000;

/**
 * Keeps the console up to date: server-sent events (GET /api/adviser/events) while the browser can
 * keep a stream open, each change pushed as it happens; otherwise (no EventSource, or the stream
 * fails) polling the API as before, trying the stream again every half minute.
 */
export class LiveUpdates {
  private stream: EventSource | null = null;
  private polling = false;
  private timers: number[] = [];
  private retry: number | undefined;
  private watched: string | null = null;
  private session = -1;

  constructor(
    private readonly state: ConsoleState,
    private readonly handlers: LiveHandlers,
  ) {}

  get mode(): 'stream' | 'polling' | 'off' {
    return this.stream ? 'stream' : this.polling ? 'polling' : 'off';
  }

  start(): void {
    this.session = this.state.api.session;
    this.connect();
  }

  stop(): void {
    this.stream?.close();
    this.stream = null;
    this.stopPolling();
    if (this.retry !== undefined) window.clearTimeout(this.retry);
    this.retry = undefined;
  }

  /** Follows one conversation as well as the queue (null: the queue only). */
  watch(conversationId: string | null): void {
    if (this.watched === conversationId) return;
    this.watched = conversationId;
    if (this.stream) this.connect();
  }

  /** Fetches the queue now, whatever the mode (after an action of this adviser's). */
  refreshQueue(): Promise<void> {
    return this.pollQueue();
  }

  private connect(): void {
    this.stream?.close();
    this.stream = null;
    if (typeof EventSource === 'undefined') return this.startPolling();
    const url = `/api/adviser/events${this.watched ? `?conversation=${encodeURIComponent(this.watched)}` : ''}`;
    const stream = new EventSource(url);
    this.stream = stream;
    const on = <K extends keyof ConsoleEventData>(name: K, handle: (data: ConsoleEventData[K]) => void) =>
      stream.addEventListener(name, (event) => {
        if (this.stream !== stream || !(event instanceof MessageEvent) || typeof event.data !== 'string') return;
        // The stream is this console's own server's, whose events the shared types describe.
        const data: ConsoleEventData[K] = JSON.parse(event.data);
        handle(data);
      });
    on('queue', (data) => {
      this.stopPolling();
      setText(this.state.ui.queue.error, '');
      this.handlers.queue(data.items);
    });
    on('presence', (data) => this.handlers.presence(data.advisers));
    on('conversation', () => void this.handlers.conversation());
    on('signed-out', () => this.handlers.signedOut());
    stream.addEventListener('error', () => {
      if (this.stream !== stream) return;
      // The stream broke (or was refused): poll, which also finds out whether the session ended.
      stream.close();
      this.stream = null;
      this.startPolling();
      this.retry = window.setTimeout(() => {
        this.retry = undefined;
        if (this.session === this.state.api.session && this.state.me) this.connect();
      }, STREAM_RETRY_MS);
    });
  }

  private startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    const every = (ms: number, work: () => Promise<void>) => {
      const run = async () => {
        await work();
        if (this.polling && this.session === this.state.api.session) this.timers.push(window.setTimeout(run, ms));
      };
      void run();
    };
    every(QUEUE_POLL_MS, () => this.pollQueue());
    every(CONVERSATION_POLL_MS, () => (this.watched ? this.handlers.conversation() : Promise.resolve()));
    every(PRESENCE_POLL_MS, () => this.pollPresence());
  }

  private stopPolling(): void {
    this.polling = false;
    for (const timer of this.timers) window.clearTimeout(timer);
    this.timers = [];
  }

  private async pollQueue(): Promise<void> {
    const { queue } = this.state.ui;
    try {
      const response = await this.state.api.call<QueueResponse>('GET', '/api/adviser/queue');
      if (!response.ok || !response.data) return void setText(queue.error, errorMessage(response, `The queue could not be loaded (error ${response.status}). Trying again.`));
      setText(queue.error, '');
      this.handlers.queue(response.data.items);
    } catch (error) {
      if (!(error instanceof SessionEnded)) setText(queue.error, 'The server could not be reached. Trying again.');
    }
  }

  private async pollPresence(): Promise<void> {
    try {
      const response = await this.state.api.call<PresenceResponse>('GET', '/api/adviser/presence');
      if (response.ok && response.data) this.handlers.presence(response.data.advisers);
    } catch {
      // the queue's poll reports the server unreachable
    }
  }
}
