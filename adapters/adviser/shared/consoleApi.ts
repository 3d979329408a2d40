/**
 * The adviser API's JSON as the console reads it: one set of types for the server that sends it
 * and the console (bundled for the browser) that reads it. Types only, so the console's bundle
 * takes nothing from the server but these shapes.
 */

export type Priority = 'urgent' | 'high' | 'standard';
export type PresenceStatus = 'available' | 'busy' | 'away';

/** How an urgent conversation's safeguarding alerts have gone. */
export interface AlertFigures {
  sent: number;
  delivered: number;
  pending: number;
  lastDeliveredAt?: string;
}

/** CONTRACT.md's QueueItem plus the school, how long it has waited by the bot's clock and, for an urgent one, its alerts. */
export interface ConsoleQueueItem {
  conversationId: string;
  priority: Priority;
  flags: string[];
  status: 'waiting' | 'claimed';
  waitingSince: string;
  channel: string;
  summary: string;
  claimedBy?: string;
  school: string;
  waitedSeconds: number;
  alerts?: AlertFigures;
}

export interface QueueResponse {
  items: ConsoleQueueItem[];
}

export interface SchoolRef {
  id: string;
  name: string;
}

export interface SessionResponse {
  username: string;
  csrfToken: string;
  schools: SchoolRef[];
  /** idle this long, an adviser counts as away */
  awayAfterMinutes: number;
  presence: PresenceStatus;
}

/** An adviser who shares a school with the one asking, and how they are. */
export interface PresenceView {
  username: string;
  status: PresenceStatus;
  since?: string;
  schools: string[];
}

export interface PresenceResponse {
  advisers: PresenceView[];
}

export interface TranscriptLine {
  from: 'pupil' | 'bot' | 'adviser';
  text: string;
  timestamp: string;
}

/** A private note, or the record of a hand-over (transferredTo) or a re-opening. */
export interface NoteView {
  by: string;
  text: string;
  timestamp: string;
  transferredTo?: string | null;
  reopened?: true;
}

export interface ConversationView {
  conversationId: string;
  priority: Priority;
  flags: string[];
  status: 'waiting' | 'claimed' | 'closed';
  waitingSince: string;
  channel: string;
  summary: string;
  claimedBy?: string;
  school?: string;
  outcome?: string;
  closedBy?: string;
  closedAt?: string;
  transcript: TranscriptLine[];
  notes: NoteView[];
}

export interface ClosedItem {
  conversationId: string;
  priority: Priority;
  flags: string[];
  channel: string;
  summary: string;
  school?: string;
  outcome?: string;
  closedBy?: string;
  closedAt?: string;
}

export interface ClosedResponse {
  items: ClosedItem[];
}

/** `scope`: 'content' (read-only seeds), 'shared' (every adviser's) or a school id. */
export interface SavedReplyView {
  id: string;
  scope: string;
  name: string;
  title: string;
  text: string;
  updatedBy?: string;
  updatedAt?: string;
  editable: boolean;
}

/** The values of a school's placeholders: {school} and {adviserHours}. */
export interface PlaceholderValues {
  school: string;
  adviserHours: string;
}

export interface SavedRepliesResponse {
  replies: SavedReplyView[];
  values: Record<string, PlaceholderValues>;
}

export interface ErrorBody {
  error: { code: string; message: string };
  claimedBy?: string;
}

/** What the server-sent event stream (GET /api/adviser/events) says, by event name. */
export interface ConsoleEventData {
  queue: QueueResponse;
  presence: PresenceResponse;
  /** the conversation the stream was opened for has changed: fetch it again */
  conversation: { conversationId: string };
  /** the session has ended */
  'signed-out': Record<string, never>;
}

/** A figure as shown: a number, "<5" (suppressed), or null when there is nothing to base it on. */
export interface FigureView {
  id: string;
  chart: string;
  label: string;
  benchmark: string;
  value: number | '<5' | null;
  unit: string;
}

export interface WeekView {
  week: string;
  weekStarting: string;
  figures: FigureView[];
}

/** GET /insights: one school's weeks, oldest first; `charts` in the order the page shows them. */
export interface InsightsResponse {
  school: SchoolRef;
  charts: Record<string, { title: string; benchmark: string }>;
  weeks: WeekView[];
}
