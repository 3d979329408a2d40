import { Cluster } from 'ioredis';
import { closeClient, reportErrors, type RedisClient, type WarnLogger, type Where } from './redisClient';
import { redisUnavailable } from './redisErrors';
import { errorMessage } from '../../bot/errorMessage';

interface Channel {
  listeners: Set<() => void>;
  subscribed: Promise<unknown>;
}

/**
 * Pub/sub for the whole process over one subscriber connection, opened on first use: a
 * subscribed connection can run no other commands, and one per conversation would not scale.
 */
export class RedisChannels {
  private subscriber?: RedisClient;
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly client: RedisClient,
    private readonly where: Where,
    private readonly logger?: WarnLogger,
  ) {}

  async listen(name: string, listener: () => void): Promise<() => Promise<void>> {
    let channel = this.channels.get(name);
    if (!channel) {
      const created: Channel = { listeners: new Set(), subscribed: this.connection().subscribe(name) };
      created.subscribed.catch(() => {
        if (this.channels.get(name) === created) this.channels.delete(name);
      });
      this.channels.set(name, created);
      channel = created;
    }
    const joined = channel;
    joined.listeners.add(listener);
    try {
      // A second listener waits too, or it could miss a message sent before SUBSCRIBE took effect.
      await joined.subscribed;
    } catch (error) {
      joined.listeners.delete(listener);
      throw redisUnavailable(error);
    }
    let left = false;
    return async () => {
      if (left) return;
      left = true;
      joined.listeners.delete(listener);
      if (joined.listeners.size > 0 || this.channels.get(name) !== joined) return;
      this.channels.delete(name);
      await this.subscriber?.unsubscribe(name).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
    if (this.subscriber) await closeClient(this.subscriber);
  }

  private connection(): RedisClient {
    if (!this.subscriber) {
      // Unlike the command connection, a SUBSCRIBE may wait for the connection (its timeout still bounds it).
      // On a cluster, classic SUBSCRIBE: the cluster passes every PUBLISH to all its nodes, and
      // ioredis keeps one subscriber connection, moved to another node when its node fails.
      const subscriber = this.client instanceof Cluster ? this.client.duplicate([], { enableOfflineQueue: true }) : this.client.duplicate({ enableOfflineQueue: true });
      reportErrors(subscriber, this.where, 'subscriber', this.logger);
      subscriber.on('message', (name: string) => this.deliver(name));
      this.subscriber = subscriber;
    }
    return this.subscriber;
  }

  private deliver(name: string): void {
    for (const listener of [...(this.channels.get(name)?.listeners ?? [])]) {
      try {
        listener();
      } catch (error) {
        // A throwing listener must neither starve the others nor break the subscriber connection.
        this.logger?.warn('conversation listener failed', { error: errorMessage(error) });
      }
    }
  }
}
