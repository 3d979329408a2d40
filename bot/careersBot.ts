import { ActivityHandler, type Activity, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { emptyConversationData, type ConversationData } from '../dialogs/conversationData';
import { readingServices, type GuidanceServices } from '../dialogs/guidanceServices';
import { MainDialog } from '../dialogs/mainDialog';
import { warmRecognizers } from '../dialogs/pupilProfile';
import { fill, menuReply, textReply } from '../dialogs/replies';
import type { Content } from '../knowledge/loadContent';
import { loadCareers, type Careers } from '../knowledge/loadCareers';
import type { Lexicon } from '../knowledge/triageSchema';
import type { TermCalendar } from '../knowledge/calendarSchema';
import { buttonsFor, londonDate, selectText } from '../dialogs/answerView';
import { InsightsRecorder } from './insights/insightsRecorder';
import { SchoolDirectory, type School } from './schools/schoolDirectory';
import { TurnSchool } from './schools/turnSchool';
import { HandoffService, type AgentHubListens } from './handoff/handoffService';
import { ClosedConversations } from './handoff/closedConversations';
import { HandoffWording } from './handoff/handoffWording';
import { NOBODY_ONLINE, type AdviserPresence } from './handoff/presenceBoard';
import { ResilientQueue } from './handoff/resilientQueue';
import { ConversationReferences } from './handoff/conversationReferences';
import type { Clock, InsightsStore, Logger, Stores } from './ports';
import { ConversationEraser } from './privacy/conversationEraser';
import { DataDeletionStep } from './privacy/dataDeletionStep';
import { DeleteDataDialog } from './privacy/deleteDataDialog';
import { FlagDetector } from './triage/flagDetector';
import { AdviserOfferDialog, ADVISER_OFFER_DIALOG } from './triage/adviserOfferDialog';
import { TriageStep } from './triage/triageStep';
import { CrisisMode } from './crisis/crisisMode';
import { CRISIS_ANSWER_IDS, CrisisReplies, type OnCallAlerts } from './crisis/crisisReplies';
import { YesNoQuestions } from './yesNoQuestions';

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
  /** the job profiles and careers talk; default: the ones in knowledge/careers */
  careers?: Careers;
  lexicon: Lexicon;
  /** the conversation's state (OptimisticConversationState where channels open turn commits) */
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
  /** whether an agent hub listens on a turn's channel for the handoff.initiate event; default: none does */
  agentHubListens?: AgentHubListens;
  /** whether a school's advisers are online now; default: nobody ever is */
  presence?: AdviserPresence;
}

/**
 * The pupil-facing bot, a botbuilder ActivityHandler: it answers messages and pupils joining,
 * and saves the conversation's state once each turn's handlers are done, as the samples do.
 *
 * A pupil's message goes through, in order: safeguarding (a crisis is answered before storage is
 * touched, even mid-question, even with an adviser connected); the answer to a yes/no question
 * the bot asked; triage ("cancel", "adviser", flags and their adviser offer); "delete my data";
 * then, unless an adviser is chatting with the pupil or the conversation is in crisis mode, the
 * guidance dialogs (MainDialog: commands, then careers questions and guidance answers, decided by
 * MessageReader), and any adviser offer the message's flags call for.
 */
export class CareersBot extends ActivityHandler {
  private readonly data: StatePropertyAccessor<ConversationData>;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialog: MainDialog;
  private readonly questions: YesNoQuestions;
  private readonly triage: TriageStep;
  private readonly deletion: DataDeletionStep;
  private readonly crisisMode: CrisisMode;
  readonly handoffQueue: ResilientQueue;
  readonly references: ConversationReferences;
  readonly schools: SchoolDirectory;
  readonly insights: InsightsRecorder;
  /** the job profiles the bot talks about (the thumbs under their answers are checked against them) */
  readonly careers: Careers;
  private readonly turnSchool: TurnSchool;

  constructor(private readonly deps: CareersBotDeps) {
    super();
    const { content, conversationState, clock, logger } = deps;
    this.data = conversationState.createProperty<ConversationData>('conversationData');
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.careers = deps.careers ?? loadCareers();
    const services: GuidanceServices = {
      ...readingServices(content, this.careers),
      now: () => clock.now(),
      conversationData: this.data,
      offerAdviser: (context, offer) => this.questions.ask(context, ADVISER_OFFER_DIALOG, offer),
    };
    const { router } = services;
    this.handoffQueue = new ResilientQueue(deps.stores.queue, logger);
    const detector = new FlagDetector(deps.lexicon, [...content.keepWords, ...router.folder.words()]);
    this.references = new ConversationReferences(deps.stores.keyValue, deps.retentionDays * 86_400_000);
    this.schools = deps.schools ?? new SchoolDirectory([{ id: 'default', name: 'Default school', calendar: deps.calendar, teamsTenants: [] }]);
    this.insights = new InsightsRecorder(deps.stores.insights ?? noInsights, clock, logger);
    this.turnSchool = new TurnSchool(this.schools, this.data, deps.stores.conversations, this.insights, clock, logger);
    const handoff = new HandoffService(this.handoffQueue, deps.stores.transcripts, this.references, clock, logger, this.turnSchool, this.insights, deps.agentHubListens);
    const eraser = new ConversationEraser(conversationState, deps.stores, this.references, this.handoffQueue, logger, new ClosedConversations(deps.stores.keyValue, deps.retentionDays));
    const wording = new HandoffWording(content, deps.presence ?? NOBODY_ONLINE, clock, logger);
    this.questions = new YesNoQuestions(
      conversationState.createProperty<DialogState>('questionState'),
      [new AdviserOfferDialog(content, this.data, handoff, this.turnSchool, this.insights, wording), new DeleteDataDialog(content, this.data, eraser)],
      (context, text) => services.reader.asksSomething(context, text),
    );
    this.dialog = new MainDialog(services, this.dialogState);
    const crisisReplies = new CrisisReplies(content, clock, deps.onCallAlerts ?? (() => false));
    this.crisisMode = new CrisisMode(crisisReplies, content, services.reader, this.data, deps.stores.queue, this.handoffQueue, handoff, this.turnSchool, clock, logger, this.questions);
    this.triage = new TriageStep(detector, router, content, handoff, deps.stores.queue, this.data, clock, this.turnSchool, this.insights, this.questions, wording);
    this.deletion = new DataDeletionStep(content, router, this.data, eraser, this.questions);
    warmRecognizers();

    this.onMessage(async (context, next) => {
      await this.onPupilMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.welcomePupils(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
    // Counted once the turn's state is saved, so a turn run again after an eTag conflict counts once.
    this.insights.flush(context);
  }

  private async welcomePupils(context: TurnContext): Promise<void> {
    const pupils = (context.activity.membersAdded ?? []).filter((member) => member.id !== context.activity.recipient?.id);
    if (pupils.length === 0) return;
    const school = await this.turnSchool.of(context);
    if (school) await this.welcome(context, school);
    else await context.sendActivity(textReply(this.deps.content.answer('school.unknown').text));
  }

  private async onPupilMessage(context: TurnContext): Promise<void> {
    const detection = this.triage.detect(context);
    if (detection.crisis) return this.crisisMode.onDisclosure(context, detection.flags);
    if (await this.questions.answer(context)) return;
    const triage = await this.triage.run(context, detection);
    if (triage.kind === 'done') return;
    // "Delete my data" is answered even while an adviser is connected.
    if (await this.deletion.run(context)) return;
    // An adviser is chatting with the pupil: the message is theirs (it is in the transcript the
    // console reads), not the dialogs'.
    if (await this.adviserConnected(context)) return;
    const school = await this.turnSchool.of(context);
    // In crisis mode: a supportive reply, not the careers dialogs.
    if (await this.crisisMode.run(context, school)) return;
    if (!school) {
      // No school of this deployment: safeguarding has run; guidance and offers need a school.
      await context.sendActivity(textReply(this.deps.content.answer('school.unknown').text));
      return;
    }
    await this.dialog.run(context);
    await this.countTopic(context, school);
    if (triage.offer) await this.triage.makeOffer(context, triage.offer);
  }

  /**
   * Each topic a conversation reaches counts once for the school's insights, and so does each
   * job whose profile it is shown, under the job's sector (job family): counts only.
   */
  private async countTopic(context: TurnContext, school: School): Promise<void> {
    const data = await this.data.get(context);
    if (!data) return;
    const topic = data.lastTopic;
    if (topic && !data.topicsCounted?.includes(topic)) {
      data.topicsCounted = [...(data.topicsCounted ?? []), topic];
      this.insights.onTurn(context, school.id, { kind: 'topic', topic });
    }
    const career = data.career;
    if (career && !data.careersCounted?.includes(career)) {
      data.careersCounted = [...(data.careersCounted ?? []), career];
      this.insights.onTurn(context, school.id, { kind: 'career-view', sector: this.careers.profile(career).sector });
    }
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
