import express from 'express';
import { listen, type Listening } from './listen';

export interface ConnectorCall {
  method: string;
  /** the path exactly as the SDK sent it, still percent-encoded */
  rawPath: string;
  conversationId: string;
  replyToId?: string;
  authorization?: string;
  body: {
    type?: string;
    text?: string;
    from?: { id?: string; name?: string };
    recipient?: { id?: string };
    conversation?: { id?: string };
    replyToId?: string;
    suggestedActions?: { actions: { type: string; title?: string; value?: unknown }[] };
    attachments?: { contentType: string; content: { buttons?: { type: string; title?: string; value?: unknown }[] } }[];
    attachmentLayout?: string;
  };
}

/**
 * A stand-in for the Bot Connector service (the activity routes of its v3 REST API that a bot
 * calls): a reply to an activity, POST /v3/conversations/{conversationId}/activities/{activityId},
 * and a new message in the conversation, POST /v3/conversations/{conversationId}/activities, which
 * is what a proactive message uses. It records every call and answers as the real one does, with
 * the new activity's id.
 */
export class StandInConnector {
  readonly calls: ConnectorCall[] = [];
  private server?: Listening;

  get url(): string {
    return this.server?.url ?? '';
  }

  async start(): Promise<this> {
    const app = express();
    app.use(express.json());
    const record = (req: express.Request, res: express.Response) => {
      const params = req.params as { conversationId: string; activityId?: string };
      this.calls.push({
        method: req.method,
        rawPath: req.originalUrl,
        conversationId: params.conversationId,
        replyToId: params.activityId,
        authorization: req.headers.authorization,
        body: req.body as ConnectorCall['body'],
      });
      res.status(200).json({ id: `activity-${this.calls.length}` });
    };
    app.post('/v3/conversations/:conversationId/activities', record);
    app.post('/v3/conversations/:conversationId/activities/:activityId', record);
    app.use((req, res) => {
      this.calls.push({ method: req.method, rawPath: req.originalUrl, conversationId: '', body: {} });
      res.status(404).json({ error: { code: 'NotFound', message: 'not a route the stand-in knows' } });
    });
    this.server = await listen(app);
    return this;
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }

  /** The texts of the activities the bot sent, in order. */
  get texts(): string[] {
    return this.calls.flatMap((call) => (typeof call.body.text === 'string' ? [call.body.text] : []));
  }

  since(count: number): ConnectorCall[] {
    return this.calls.slice(count);
  }
}
