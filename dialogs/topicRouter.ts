import { containsPhrase, normalise } from '../bot/normalise';
import type { Content } from '../knowledge/loadContent';
import type { Topic } from '../knowledge/schema';

export type Route = { kind: 'menu' } | { kind: 'topic'; topic: Topic } | { kind: 'unknown' };

/**
 * Deterministic routing of free text. Button labels match exactly; otherwise the topic with the
 * most keyword hits wins, ties going to the topic listed first (content order).
 */
export class TopicRouter {
  private readonly labels: Map<string, Topic>;
  private readonly keywords: { topic: Topic; phrases: string[] }[];
  private readonly menuWords: Set<string>;

  constructor(content: Content) {
    this.labels = new Map(content.topics.map((topic) => [normalise(topic.label), topic]));
    this.keywords = content.topics.map((topic) => ({ topic, phrases: topic.keywords.map(normalise) }));
    this.menuWords = new Set(content.menuWords.map(normalise));
  }

  route(text: string): Route {
    const folded = normalise(text);
    if (folded === '' || this.menuWords.has(folded)) return { kind: 'menu' };
    const byLabel = this.labels.get(folded);
    if (byLabel) return { kind: 'topic', topic: byLabel };
    let best: { topic: Topic; hits: number } | undefined;
    for (const { topic, phrases } of this.keywords) {
      const hits = phrases.filter((phrase) => containsPhrase(folded, phrase)).length;
      if (hits > 0 && (!best || hits > best.hits)) best = { topic, hits };
    }
    return best ? { kind: 'topic', topic: best.topic } : { kind: 'unknown' };
  }
}
