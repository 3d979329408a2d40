import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { emptyConversationData, type ConversationData } from '../../dialogs/conversationData';
import type { InsightsRecorder } from '../insights/insightsRecorder';
import type { Clock, ConversationLog, Logger } from '../ports';
import type { School, SchoolDirectory } from './schoolDirectory';
import { errorMessage } from '../errorMessage';

const TURN_SCHOOL = Symbol('turnSchool');
const TEAMS_CHANNEL = 'msteams';
const WEB_CHAT_CHANNEL = 'directline';

function tenantOf(context: TurnContext): string | undefined {
  const { activity } = context;
  const channelData: unknown = activity.channelData;
  const fromChannelData =
    channelData && typeof channelData === 'object' && 'tenant' in channelData && channelData.tenant && typeof channelData.tenant === 'object' && 'id' in channelData.tenant
      ? String(channelData.tenant.id)
      : undefined;
  return activity.conversation?.tenantId ?? fromChannelData;
}

/**
 * The school of a turn's conversation. Worked out once, on the conversation's first turn, from
 * its channel (the web chat address it was opened at, kept with the conversation; or the Teams
 * tenant), then kept in conversation state, so later turns pay nothing. That first turn counts
 * as a conversation started in the school's insights.
 */
export class TurnSchool {
  constructor(
    private readonly directory: SchoolDirectory,
    private readonly data: StatePropertyAccessor<ConversationData>,
    private readonly conversations: Pick<ConversationLog, 'getMeta'> | undefined,
    private readonly insights: InsightsRecorder,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** undefined when the conversation belongs to no school this deployment serves. */
  async of(context: TurnContext): Promise<School | undefined> {
    if (context.turnState.has(TURN_SCHOOL)) return context.turnState.get(TURN_SCHOOL);
    let data: ConversationData | undefined;
    try {
      data = await this.data.get(context, emptyConversationData());
    } catch (error) {
      // Storage trouble must not stop a crisis from reaching a school's queue: ask the channel.
      this.logger.warn('school: conversation state unavailable', { conversationId: context.activity.conversation?.id, error: errorMessage(error) });
    }
    let school = this.directory.get(data?.school);
    if (!school) {
      school = await this.fromChannel(context).catch((error: unknown) => {
        // With one school there is no doubt; with several, a crisis is queued as no school's, for every adviser.
        this.logger.warn('school: channel lookup failed', { conversationId: context.activity.conversation?.id, error: errorMessage(error) });
        return this.directory.only;
      });
      if (school && data) {
        data.school = school.id;
        const now = this.clock.now();
        this.insights.onTurn(context, school.id, { kind: 'conversation-started', outOfTerm: !school.calendar.isTermDay(now), outOfHours: !school.calendar.availability(now).open });
      }
    }
    context.turnState.set(TURN_SCHOOL, school);
    return school;
  }

  private async fromChannel(context: TurnContext): Promise<School | undefined> {
    const { channelId, conversation } = context.activity;
    if (channelId === TEAMS_CHANNEL) return this.directory.forTenant(tenantOf(context));
    if (channelId === WEB_CHAT_CHANNEL && this.conversations && conversation?.id) {
      const meta = await this.conversations.getMeta(conversation.id);
      // A conversation opened at a school's address stays with that school, even if it is later
      // removed from SCHOOLS_FILE (then it has none); one opened without an address gets the default.
      if (meta?.school) return this.directory.get(meta.school);
    }
    return this.directory.defaultSchool;
  }
}
