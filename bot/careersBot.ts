import { ActivityTypes, type Activity, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { AnswerRouter } from '../dialogs/answerRouter';
import { emptyConversationData, type ConversationData } from '../dialogs/conversationData';
import type { GuidanceServices } from '../dialogs/guidanceServices';
import { MainDialog } from '../dialogs/mainDialog';
import { warmRecognizers } from '../dialogs/pupilProfile';
import { fill, menuReply, textReply } from '../dialogs/replies';
import type { Content } from '../knowledge/loadContent';
import type { Lexicon } from '../knowledge/triageSchema';
import type { TermCalendar } from '../knowledge/calendarSchema';
import { buttonsFor, londonDate, selectText } from '../dialogs/answerView';
import { InsightsRecorder } from './insights/insightsRecorder';
import { SchoolDirectory, type School } from './schools/schoolDirectory';
import { TurnSchool } from './schools/turnSchool';
import { HandoffService } from './handoff/handoffService';
import { ClosedConversations } from './handoff/closedConversations';
import { HandoffWording } from './handoff/handoffWording';
import { NOBODY_ONLINE, type AdviserPresence } from './handoff/presenceBoard';
import { ResilientQueue } from './handoff/resilientQueue';
import { ConversationReferences } from './handoff/conversationReferences';
import type { Clock, InsightsStore, Logger, Stores } from './ports';
import { ConversationEraser, CONVERSATION_ERASED } from './privacy/conversationEraser';
import { DataDeletionStep } from './privacy/dataDeletionStep';
import { FlagDetector } from './triage/flagDetector';
import { TriageStep } from './triage/triageStep';
import { CrisisMode } from './crisis/crisisMode';
import { CRISIS_ANSWER_IDS, CrisisReplies, type OnCallAlerts } from './crisis/crisisReplies';

/** Answer ids the bot and its dialogs name in code; start-up fails if content lacks one. */
export const BOT_ANSWER_IDS = [
  'welcome.intro',
  'welcome.privacy',
  'welcome.help-any-time',
  'menu.prompt',
  'menu.help',
  'menu.goodbye',
  'dialog.rephrase',
  'dialog.offer-adviser',
  'dialog.check-in',
  'prompt.age',
  'button.more',
  'button.back',
  'button.menu',
  'button.yes',
  'button.no',
  'error.turn',
  ...CRISIS_ANSWER_IDS,
  'triage.offer',
  'triage.ack.looked-after',
  'triage.ack.send',
  'triage.ack.young-carer',
  'triage.ack.free-school-meals',
  'triage.ack.wellbeing',
  'triage.ack.neet-risk',
  'triage.ack.asked-for-adviser',
  'triage.ack.impartiality-concern',
  'triage.ack.not-understood',
  'handoff.queued',
  'handoff.declined',
  'handoff.cancelled',
  'handoff.nothing-to-cancel',
  'handoff.already-waiting',
  'handoff.adviser-joined',
  'handoff.adviser-left',
  'handoff.queued-out-of-hours',
  'triage.offer-out-of-hours',
  'season.results',
  'results.better',
  'season.ucas-october',
  'season.ucas-january',
  'season.ucas-june',
  'season.gcse-options',
  'privacy.delete-confirm',
  'privacy.button-delete',
  'privacy.button-keep',
  'privacy.deleted',
  'privacy.delete-cancelled',
  'privacy.kept-for-safety',
  'school.unknown',
] as const;

/** Where insights go when the bot is built without a store for them (the terminal chat). */
const noInsights: InsightsStore = {
  increment: async () => undefined,
  addPickup: async () => undefined,
  read: async () => ({ counts: {}, pickupSeconds: [] }),
};

export interface CareersBotDeps {
  content: Content;
  lexicon: Lexicon;
  conversationState: ConversationState;
  stores: Pick<Stores, 'queue' | 'transcripts' | 'keyValue' | 'conversations'> & Partial<Pick<Stores, 'insights'>>;
  retentionDays: number;
  clock: Clock;
  /** the calendar of the one default school, when no `schools` are given */
  calendar: TermCalendar;
  /** the schools the deployment serves (SCHOOLS_FILE); default: one school `default` on `calendar` */
  schools?: SchoolDirectory;
  logger: Logger;
  /** whether a school's urgent items raise an on-call safeguarding alert; default: none do */
  onCallAlerts?: OnCallAlerts;
  /** whether a school's advisers are online now; default: nobody ever is */
  presence?: AdviserPresence;
}

/**
 * The pupil-facing bot. On every message, safeguarding and triage run first (a crisis is
 * answered before storage is touched); then the guidance dialogs; then any adviser offer.
 *
 * `run(context)` is the whole turn, as botbuilder's ActivityHandler.run is: it answers messages
 * and pupils joining, and lets every other kind of activity pass, as an ActivityHandler with only
 * those two handlers would (an invoke gets the channel's 501, as there). It dispatches them itself
 * rather than through ActivityHandler's chains of handlers, which cost about 60 µs a turn.
 */
export class CareersBot {
  private readonly data: StatePropertyAccessor<ConversationData>;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialog: MainDialog;
  private readonly triage: TriageStep;
  private readonly deletion: DataDeletionStep;
  private readonly crisisMode: CrisisMode;
  readonly handoffQueue: ResilientQueue;
  readonly references: ConversationReferences;
  readonly schools: SchoolDirectory;
  readonly insights: InsightsRecorder;
  private readonly turnSchool: TurnSchool;

  constructor(private readonly deps: CareersBotDeps) {
    const { content, conversationState, clock, logger } = deps;
    this.data = conversationState.createProperty<ConversationData>('conversationData');
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    const router = new AnswerRouter(content);
    const services: GuidanceServices = { content, router, now: () => clock.now(), conversationData: this.data };
    this.dialog = new MainDialog(services, this.dialogState);
    this.handoffQueue = new ResilientQueue(deps.stores.queue, logger);
    const detector = new FlagDetector(deps.lexicon, [...content.keepWords, ...router.folder.words()]);
    this.references = new ConversationReferences(deps.stores.keyValue, deps.retentionDays * 86_400_000);
    this.schools = deps.schools ?? new SchoolDirectory([{ id: 'default', name: 'Default school', calendar: deps.calendar, teamsTenants: [] }]);
    this.insights = new InsightsRecorder(deps.stores.insights ?? noInsights, clock, logger);
    this.turnSchool = new TurnSchool(this.schools, this.data, deps.stores.conversations, this.insights, clock, logger);
    const handoff = new HandoffService(this.handoffQueue, deps.stores.transcripts, this.references, clock, logger, this.turnSchool, this.insights);
    const crisisReplies = new CrisisReplies(content, clock, deps.onCallAlerts ?? (() => false));
    this.crisisMode = new CrisisMode(crisisReplies, content, router, this.data, deps.stores.queue, this.handoffQueue, handoff, this.turnSchool, clock, logger);
    this.triage = new TriageStep(detector, router, content, handoff, deps.stores.queue, this.data, clock, this.turnSchool, logger, this.insights, this.crisisMode, new HandoffWording(content, deps.presence ?? NOBODY_ONLINE, clock, logger));
    const eraser = new ConversationEraser(conversationState, deps.stores, this.references, this.handoffQueue, logger, new ClosedConversations(deps.stores.keyValue, deps.retentionDays));
    this.deletion = new DataDeletionStep(content, router, this.data, eraser);
    warmRecognizers();
  }

  /** The whole turn (see the class comment). */
  async run(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.type === ActivityTypes.Message) await this.onPupilMessage(context);
    else if (activity.type === ActivityTypes.ConversationUpdate && (activity.membersAdded?.length ?? 0) > 0) await this.onMembersAdded(context);
    // After "delete my data" nothing of the conversation is written back, not even empty state.
    if (!context.turnState.get(CONVERSATION_ERASED)) await this.deps.conversationState.saveChanges(context, false);
    this.insights.flush(context);
  }

  private async onMembersAdded(context: TurnContext): Promise<void> {
    const pupils = (context.activity.membersAdded ?? []).filter((member) => member.id !== context.activity.recipient?.id);
    if (pupils.length === 0) return;
    const school = await this.turnSchool.of(context);
    if (school) await this.welcome(context, school);
    else await context.sendActivity(textReply(this.deps.content.answer('school.unknown').text));
  }

  private async onPupilMessage(context: TurnContext): Promise<void> {
    const outcome = await this.triage.run(context);
    if (outcome.kind === 'continue' && (await this.deletion.run(context))) {
      // "Delete my data", or the answer to its question: answered, even while an adviser is connected.
    } else if (outcome.kind === 'continue' && (await this.adviserConnected(context))) {
      // An adviser is chatting with the pupil: the message is theirs (it is in the transcript
      // the console reads), not the dialogs'. Crisis detection above has already run.
    } else if (outcome.kind === 'continue' && (await this.crisisMode.run(context, await this.turnSchool.of(context)))) {
      // In crisis mode: a supportive reply, not the careers dialogs.
    } else if (outcome.kind === 'continue') {
      const school = await this.turnSchool.of(context);
      if (school) {
        await this.dialog.run(context);
        await this.countTopic(context, school);
        await this.triage.sendOffer(context, outcome.after);
      } else {
        // No school of this deployment: safeguarding has run; guidance and offers need a school.
        await context.sendActivity(textReply(this.deps.content.answer('school.unknown').text));
      }
    }
  }

  /** Each topic a conversation reaches counts once for the school's insights. */
  private async countTopic(context: TurnContext, school: School): Promise<void> {
    const data = await this.data.get(context);
    const topic = data?.lastTopic;
    if (!data || !topic || data.topicsCounted?.includes(topic)) return;
    data.topicsCounted = [...(data.topicsCounted ?? []), topic];
    this.insights.onTurn(context, school.id, { kind: 'topic', topic });
  }

  /** True while the pupil's hand-off has been claimed by an adviser; clears itself once closed. */
  private async adviserConnected(context: TurnContext): Promise<boolean> {
    const data = await this.data.get(context);
    if (!data?.handoffRequested) return false;
    // The flag stays once the item has left the queue: an adviser may re-open the conversation.
    const item = await this.deps.stores.queue.get(context.activity.conversation?.id ?? '');
    return item?.status === 'claimed';
  }

  /** What the season makes urgent (results help in August, a UCAS deadline counting down), first. */
  private timely(school: School): Partial<Activity>[] {
    const now = this.deps.clock.now();
    const found = school.calendar.timely(now);
    if (!found) return [];
    const answer = this.deps.content.answer(found.keyDate.answer);
    const { text } = selectText(answer, londonDate(now), {});
    return [textReply(fill(text, { days: found.daysTo }), buttonsFor(this.deps.content, answer, false).slice(0, -1))];
  }

  private async welcome(context: TurnContext, school: School): Promise<void> {
    const { content } = this.deps;
    // State first: with the store down the pupil gets the safe reply, not a menu that cannot work.
    await this.data.get(context, emptyConversationData());
    await context.sendActivities([
      textReply(content.answer('welcome.intro').text),
      ...this.timely(school),
      textReply(fill(content.answer('welcome.privacy').text, { retentionDays: this.deps.retentionDays })),
      textReply(content.answer('welcome.help-any-time').text),
      menuReply(content),
    ]);
  }
}
