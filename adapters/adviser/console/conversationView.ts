import { PRIORITY_LABELS } from '../../../knowledge/adviserLabels';
import type { ConversationView as ConversationData, NoteView, TranscriptLine } from '../shared/consoleApi';
import { conversationPath, errorMessage, SessionEnded } from './api';
import { clear, el, setHidden, setText } from './dom';
import { channelLabel, clockTime, flagList, isPriority, outcomeLabel, SPEAKER_LABELS, statusLabel, timeElement, waitingText } from './format';
import { queued, waitedMs, type ConsoleState } from './state';
import { showView } from './ui';

/** The conversation open in the console. */
export interface OpenConversation {
  id: string;
  data: ConversationData | null;
  transcriptCount: number;
  noteCount: number;
  claimedByMe: boolean;
  detailsKey: string;
  /** bumped at every opening, so an answer for a conversation no longer open is dropped */
  generation: number;
}

/**
 * One conversation: its details, transcript and private notes, kept up to date while it is open
 * (the live updates say when it changes), and which actions the adviser can take on it now.
 */
export class ConversationView {
  current: OpenConversation | null = null;
  private generation = 0;

  constructor(
    private readonly state: ConsoleState,
    private readonly watch: (conversationId: string | null) => void,
  ) {
    const { conversation } = state.ui;
    conversation.transcript.addEventListener('scroll', () => {
      if (!conversation.jumpLatest.hidden && nearBottom(conversation.transcript)) setHidden(conversation.jumpLatest, true);
    });
    conversation.jumpLatest.addEventListener('click', () => {
      conversation.transcript.scrollTop = conversation.transcript.scrollHeight;
      setHidden(conversation.jumpLatest, true);
      conversation.transcript.focus();
    });
  }

  /** The open conversation, if it is still the one opened as `generation`. */
  still(generation: number): OpenConversation | null {
    return this.current && this.current.generation === generation ? this.current : null;
  }

  open(id: string): void {
    const { conversation: ui } = this.state.ui;
    this.generation += 1;
    this.current = { id, data: null, transcriptCount: 0, noteCount: 0, claimedByMe: false, detailsKey: '', generation: this.generation };
    for (const list of [ui.transcriptList, ui.notesList, ui.details]) clear(list);
    for (const text of [ui.error, ui.message, ui.priority]) setText(text, '');
    ui.priority.className = 'priority';
    setText(ui.claimStatus, 'Loading…');
    for (const hidden of [ui.claim, ui.reopen, ui.transferForm, ui.jumpLatest, ui.suggestions]) setHidden(hidden, true);
    for (const box of [ui.messageText, ui.noteText, ui.closeNote, ui.transferNote]) box.value = '';
    ui.closeOutcome.value = 'resolved';
    ui.messageFieldset.disabled = true;
    ui.closeFieldset.disabled = true;
    ui.noteFieldset.disabled = false;
    setText(ui.heading, 'Conversation');
    this.state.view = 'conversation';
    showView(this.state.ui, 'conversation', ui.heading);
    this.watch(id);
    void this.refresh();
  }

  close(): void {
    this.current = null;
    this.watch(null);
  }

  /** Fetches the open conversation now. */
  async refresh(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const { conversation: ui } = this.state.ui;
    try {
      const response = await this.state.api.call<ConversationData>('GET', conversationPath(current.id));
      if (!this.still(current.generation)) return;
      if (response.status === 404) {
        setText(ui.error, 'This conversation is no longer available.');
        setText(ui.claimStatus, '');
        for (const hidden of [ui.claim, ui.reopen, ui.transferForm]) setHidden(hidden, true);
        ui.messageFieldset.disabled = true;
        ui.closeFieldset.disabled = true;
        return;
      }
      if (!response.ok || !response.data) return void setText(ui.error, errorMessage(response, `The conversation could not be loaded (error ${response.status}). Trying again.`));
      if (/could not be loaded|could not be reached/.test(ui.error.textContent ?? '')) setText(ui.error, '');
      this.render(current, response.data);
    } catch (error) {
      if (!(error instanceof SessionEnded) && this.still(current.generation)) setText(ui.error, 'The server could not be reached. Trying again.');
    }
  }

  /** Re-renders what depends on the queue and on who is online (the wait, the transfer list). */
  rerender(): void {
    if (this.current?.data) this.render(this.current, this.current.data);
  }

  private render(current: OpenConversation, data: ConversationData): void {
    const { conversation: ui } = this.state.ui;
    const me = this.state.me?.username;
    current.data = data;
    const mine = data.status === 'claimed' && (data.claimedBy ? data.claimedBy === me : current.claimedByMe);
    current.claimedByMe = mine;
    const priority = isPriority(data.priority) ? data.priority : 'standard';
    ui.priority.className = `priority priority--${priority}`;
    setText(ui.priority, PRIORITY_LABELS[priority]);
    setText(ui.heading, 'Conversation with a pupil');
    this.renderDetails(current, data);
    this.renderTranscript(current, data.transcript);
    this.renderNotes(current, data.notes);

    const closed = data.status === 'closed';
    const otherAdviser = data.status === 'claimed' && !mine;
    setText(
      ui.claimStatus,
      closed
        ? 'This conversation is closed. The pupil is back with the bot.'
        : mine
          ? 'Claimed by you. The pupil sees your replies in their chat.'
          : otherAdviser
            ? `Claimed by ${data.claimedBy ?? 'another adviser'}.`
            : 'Nobody has claimed it yet.',
    );
    setHidden(ui.claim, closed || mine || otherAdviser);
    setHidden(ui.reopen, !closed);
    setHidden(ui.transferForm, !mine);
    if (mine) this.transferChoices(data.school);

    const canReply = mine && !closed;
    if (ui.messageFieldset.disabled === canReply) ui.messageFieldset.disabled = !canReply;
    setText(
      ui.messageHint,
      closed
        ? 'This conversation is closed.'
        : canReply
          ? 'The pupil sees this in their chat.'
          : otherAdviser
            ? 'Another adviser is handling this conversation.'
            : 'Claim this conversation before you reply.',
    );
    // Only the adviser who holds a conversation can close it; notes can be kept until it closes.
    if (ui.closeFieldset.disabled === canReply) ui.closeFieldset.disabled = !canReply;
    setText(ui.closeHint, closed ? 'This conversation is closed.' : canReply ? 'The pupil is told and goes back to the bot.' : 'Claim this conversation before you close it.');
    if (ui.noteFieldset.disabled === !closed) ui.noteFieldset.disabled = closed;
  }

  /** The advisers of the conversation's school, online ones first, as the transfer's choices. */
  private transferChoices(school: string | undefined): void {
    const select = this.state.ui.conversation.transferTo;
    const me = this.state.me?.username;
    const order = { available: 0, busy: 1, away: 2 };
    const others = this.state.advisers
      .filter((adviser) => adviser.username !== me && (!school || adviser.schools.includes('*') || adviser.schools.includes(school)))
      .sort((a, b) => order[a.status] - order[b.status] || a.username.localeCompare(b.username));
    const key = JSON.stringify(others.map((adviser) => [adviser.username, adviser.status]));
    if (select.dataset.key === key) return;
    select.dataset.key = key;
    const chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    for (const adviser of others) select.appendChild(new Option(`${adviser.username} (${adviser.status})`, adviser.username));
    select.value = others.some((adviser) => adviser.username === chosen) ? chosen : '';
  }

  private renderDetails(current: OpenConversation, data: ConversationData): void {
    const me = this.state.me?.username;
    const item = queued(this.state, current.id);
    const wait = item && item.waitingSince === data.waitingSince ? waitingText(waitedMs(this.state, item)) : waitingText(Date.now() - Date.parse(data.waitingSince));
    const school = this.state.me?.schools.find((candidate) => candidate.id === data.school)?.name;
    const rows: [string, string | null][] = [
      ['Status', data.status === 'claimed' ? `Claimed by ${data.claimedBy ? (data.claimedBy === me ? 'you' : data.claimedBy) : current.claimedByMe ? 'you' : 'an adviser'}` : statusLabel(data.status)],
      ['Flags', null],
      ['School', school ?? ''],
      ['Channel', channelLabel(data.channel)],
      ['Waiting since', data.status === 'closed' ? '' : `${clockTime(data.waitingSince)} (${wait})`],
      ['Closed', data.status === 'closed' ? `${clockTime(data.closedAt)}${data.closedBy ? ` by ${data.closedBy}` : ''}, ${outcomeLabel(data.outcome)}` : ''],
      ['Summary', data.summary],
    ];
    const key = JSON.stringify([rows, data.flags]);
    if (current.detailsKey === key) return;
    current.detailsKey = key;
    const details = this.state.ui.conversation.details;
    clear(details);
    for (const [name, value] of rows) {
      if (value === '') continue;
      const group = el('div', 'details__item');
      group.appendChild(el('dt', null, name));
      group.appendChild(el('dd')).appendChild(value === null ? flagList(data.flags) : document.createTextNode(value));
      details.appendChild(group);
    }
  }

  private renderTranscript(current: OpenConversation, lines: readonly TranscriptLine[]): void {
    const { transcript: box, transcriptList: list, jumpLatest } = this.state.ui.conversation;
    let first = current.transcriptCount === 0;
    if (lines.length < current.transcriptCount) {
      clear(list);
      current.transcriptCount = 0;
      first = true;
    }
    if (lines.length === current.transcriptCount) {
      if (first && !lines.length && !list.firstChild) list.appendChild(el('li', 'transcript__empty', 'Nothing has been said yet.'));
      return;
    }
    const stick = first || nearBottom(box);
    list.querySelector('.transcript__empty')?.remove();
    let newFromPupil = false;
    for (const line of lines.slice(current.transcriptCount)) {
      const from = line.from in SPEAKER_LABELS ? line.from : 'other';
      if (from === 'pupil') newFromPupil = true;
      const item = el('li', `line line--${from}`);
      const meta = el('p', 'line__meta');
      meta.appendChild(el('span', 'line__who', SPEAKER_LABELS[line.from] ?? line.from));
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(timeElement(line.timestamp, 'line__time'));
      item.appendChild(meta);
      item.appendChild(el('p', 'line__text', line.text));
      list.appendChild(item);
    }
    current.transcriptCount = lines.length;
    if (stick) {
      box.scrollTop = box.scrollHeight;
      setHidden(jumpLatest, true);
    } else if (newFromPupil || !first) {
      setHidden(jumpLatest, false);
    }
  }

  private renderNotes(current: OpenConversation, notes: readonly NoteView[]): void {
    const list = this.state.ui.conversation.notesList;
    if (notes.length < current.noteCount) {
      clear(list);
      current.noteCount = 0;
    }
    if (!notes.length) {
      if (!list.firstChild) list.appendChild(el('li', 'notes__empty muted', 'No notes yet.'));
      return;
    }
    list.querySelector('.notes__empty')?.remove();
    for (const note of notes.slice(current.noteCount)) {
      const item = el('li', `note${note.transferredTo !== undefined || note.reopened ? ' note--event' : ''}`);
      const meta = el('p', 'note__meta');
      meta.appendChild(el('span', 'note__by', note.by || 'Adviser'));
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(timeElement(note.timestamp, 'note__time'));
      item.appendChild(meta);
      const event = note.reopened ? 'Re-opened the conversation.' : note.transferredTo === undefined ? '' : note.transferredTo ? `Passed it to ${note.transferredTo}.` : 'Passed it back to the queue.';
      if (event) item.appendChild(el('p', 'note__event', event));
      if (note.text) item.appendChild(el('p', 'note__text', note.text));
      list.appendChild(item);
    }
    current.noteCount = notes.length;
  }
}

function nearBottom(node: HTMLElement): boolean {
  return node.scrollHeight - node.scrollTop - node.clientHeight < 48;
}
