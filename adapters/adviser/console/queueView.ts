import { FLAG_ORDER, flagLabel, PRIORITY_LABELS } from '../../../knowledge/adviserLabels';
import type { ClosedItem, ClosedResponse, ConsoleQueueItem } from '../shared/consoleApi';
import { matchesFilter, type QueueFilter } from '../shared/queueFilter';
import { errorMessage, SessionEnded } from './api';
import { clear, el, setHidden, setText, typingIn } from './dom';
import { channelLabel, clockTime, flagList, isPriority, outcomeLabel, PRESENCE_LABELS, priorityBadge, statusLabel, waitingText } from './format';
import { waitedMs, type ConsoleState } from './state';

const CLOSED_DAYS = 30;

/**
 * The queue view: the queue as the live updates bring it, with search and filters (the same test
 * the server's GET /queue applies, shared/queueFilter.ts), who is online, and the conversations
 * closed recently, each of which can be opened and re-opened.
 */
export class QueueView {
  private closed: ClosedItem[] | null = null;

  constructor(
    private readonly state: ConsoleState,
    private readonly open: (conversationId: string) => void,
  ) {
    const { queue } = state.ui;
    for (const flag of FLAG_ORDER) queue.filterFlag.appendChild(new Option(flagLabel(flag), flag));
    for (const control of [queue.filterText, queue.filterSchool, queue.filterFlag, queue.filterStatus, queue.filterWait]) control.addEventListener('input', () => this.filtersChanged());
    queue.filters.addEventListener('submit', (event) => event.preventDefault());
    queue.filters.addEventListener('reset', () => window.setTimeout(() => this.filtersChanged(), 0));
    // "/" anywhere in the queue view (but in a text box) goes to the search box.
    queue.view.addEventListener('keydown', (event) => {
      if (event.key !== '/' || typingIn(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault();
      queue.filterText.focus();
    });
  }

  /** After sign-in: the adviser's schools in the school filter (shown only when there are several). */
  signedIn(): void {
    const { filterSchool } = this.state.ui.queue;
    while (filterSchool.options.length > 1) filterSchool.remove(1);
    for (const school of this.state.me?.schools ?? []) filterSchool.appendChild(new Option(school.name, school.id));
    this.closed = null;
  }

  filter(): QueueFilter {
    const { queue } = this.state.ui;
    const status = queue.filterStatus.value;
    return {
      text: queue.filterText.value,
      school: queue.filterSchool.value || undefined,
      flag: queue.filterFlag.value || undefined,
      status: status === 'waiting' || status === 'claimed' || status === 'mine' ? status : undefined,
      minWaitMinutes: Number(queue.filterWait.value) || undefined,
    };
  }

  private showingClosed(): boolean {
    return this.state.ui.queue.filterStatus.value === 'closed';
  }

  private filtersChanged(): void {
    if (this.showingClosed() && this.closed === null) void this.loadClosed();
    this.render();
  }

  /** Fetches the recently closed conversations again (after a close or a re-open). */
  async loadClosed(): Promise<void> {
    const { queue } = this.state.ui;
    try {
      const response = await this.state.api.call<ClosedResponse>('GET', `/api/adviser/closed?days=${CLOSED_DAYS}`);
      if (!response.ok || !response.data) return void setText(queue.error, errorMessage(response, `The closed conversations could not be loaded (error ${response.status}).`));
      this.closed = response.data.items;
      this.render();
    } catch (error) {
      if (!(error instanceof SessionEnded)) setText(queue.error, 'The server could not be reached. Trying again.');
    }
  }

  forgetClosed(): void {
    this.closed = null;
    if (this.showingClosed()) void this.loadClosed();
  }

  render(): void {
    const { queue } = this.state.ui;
    const me = this.state.me?.username ?? '';
    const closed = this.showingClosed();
    setHidden(queue.table, closed);
    setHidden(queue.closedWrap, !closed);
    if (closed) {
      setHidden(queue.empty, true);
      return this.renderClosed();
    }
    setHidden(queue.closedEmpty, true);
    const all = this.state.queue;
    const shown = all.filter((item) => matchesFilter(item, this.filter(), me));
    this.renderRows(shown);
    const urgent = all.filter((item) => item.priority === 'urgent').length;
    const waiting = all.filter((item) => item.status !== 'claimed').length;
    const total = all.length ? `${all.length} ${all.length === 1 ? 'conversation' : 'conversations'} in the queue: ${waiting} waiting${urgent ? `, ${urgent} urgent` : ''}.` : '';
    setText(queue.summary, shown.length === all.length ? total : `Showing ${shown.length} of ${all.length}. ${total}`);
    setHidden(queue.table, shown.length === 0);
    setHidden(queue.empty, shown.length !== 0);
    setText(queue.empty, all.length === 0 ? 'Nobody is waiting. This list updates by itself.' : 'No conversation in the queue matches these filters.');
  }

  /** Keeps each row's "waiting" figure counting between updates. */
  tick(): void {
    const now = Date.now();
    for (const row of Array.from(this.state.ui.queue.body.rows)) {
      const item = this.state.queue.find((candidate) => candidate.conversationId === row.dataset.conversationId);
      const time = row.querySelector('time');
      if (item && time) setText(time, waitingText(waitedMs(this.state, item, now)));
    }
  }

  renderOnline(): void {
    const list = this.state.ui.queue.online;
    clear(list);
    const online = this.state.advisers.filter((adviser) => adviser.status !== 'away');
    if (online.length === 0) return void list.appendChild(el('li', 'muted', 'Nobody is online.'));
    for (const adviser of online) {
      const item = el('li', `online__adviser online__adviser--${adviser.status}`);
      item.appendChild(el('span', 'online__name', adviser.username === this.state.me?.username ? `${adviser.username} (you)` : adviser.username));
      item.appendChild(document.createTextNode(': '));
      item.appendChild(el('span', 'online__status', PRESENCE_LABELS[adviser.status] ?? adviser.status));
      list.appendChild(item);
    }
  }

  private renderRows(items: readonly ConsoleQueueItem[]): void {
    const body = this.state.ui.queue.body;
    const active = document.activeElement;
    const now = Date.now();
    const rows = new Map(Array.from(body.rows).map((row) => [row.dataset.conversationId ?? '', row]));
    items.forEach((item, index) => {
      const row = rows.get(item.conversationId) ?? this.createRow(item.conversationId);
      rows.delete(item.conversationId);
      this.fillRow(row, item, now);
      const at = body.rows[index];
      if (at !== row) body.insertBefore(row, at ?? null);
    });
    for (const row of rows.values()) body.removeChild(row);
    // Moving a row can take the keyboard focus off its button: put it back. If the row has gone
    // (claimed elsewhere and closed), keep the keyboard user in the queue.
    if (active instanceof HTMLElement && active !== document.activeElement && active !== document.body) {
      if (document.body.contains(active)) active.focus();
      else if (this.state.view === 'queue') this.state.ui.queue.heading.focus();
    }
  }

  private createRow(id: string): HTMLTableRowElement {
    const row = el('tr');
    row.dataset.conversationId = id;
    for (let cell = 0; cell < 7; cell += 1) row.appendChild(el('td'));
    row.appendChild(this.openCell(id));
    // The whole row opens the conversation for mouse users; keyboard users have the button.
    row.addEventListener('click', (event) => {
      if (String(window.getSelection() ?? '').length) return;
      if (event.target instanceof Element && event.target.closest('button, a, input, select, textarea')) return;
      this.open(id);
    });
    return row;
  }

  private openCell(id: string): HTMLTableCellElement {
    const cell = el('td');
    const button = el('button', 'button button--small queue__open');
    button.type = 'button';
    button.appendChild(el('span', null, 'Open'));
    button.appendChild(el('span', 'visually-hidden', ''));
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      this.open(id);
    });
    cell.appendChild(button);
    return cell;
  }

  private fillRow(row: HTMLTableRowElement, item: ConsoleQueueItem, now: number): void {
    const cells = row.cells;
    const key = JSON.stringify([item.priority, item.flags, item.status, item.claimedBy, item.channel, item.summary, item.waitingSince, item.alerts ?? null, this.state.me?.username]);
    row.className = `queue__row queue__row--${isPriority(item.priority) ? item.priority : 'standard'}`;
    if (row.dataset.key !== key) {
      row.dataset.key = key;
      const fill = (index: number, node: Node) => {
        clear(cells[index]);
        cells[index].appendChild(node);
      };
      fill(0, priorityBadge(item.priority));
      fill(1, flagList(item.flags));
      const waited = el('time', 'queue__waiting');
      waited.setAttribute('datetime', item.waitingSince);
      fill(2, waited);
      fill(3, alertsText(item));
      fill(4, document.createTextNode(channelLabel(item.channel)));
      fill(5, el('span', 'queue__summary', item.summary));
      fill(6, statusText(item, this.state.me?.username));
      setText(cells[7].querySelector('.visually-hidden') ?? cells[7], ` conversation: ${PRIORITY_LABELS[isPriority(item.priority) ? item.priority : 'standard']}, ${item.summary || 'no summary'}`);
    }
    const time = cells[2].querySelector('time');
    if (time) setText(time, waitingText(waitedMs(this.state, item, now)));
  }

  private renderClosed(): void {
    const { queue } = this.state.ui;
    clear(queue.closedBody);
    if (this.closed === null) return void setText(queue.summary, 'Loading the closed conversations…');
    const filter = this.filter();
    const shown = this.closed.filter((item) => {
      if (filter.school && item.school !== filter.school) return false;
      if (filter.flag && !item.flags.includes(filter.flag)) return false;
      const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const haystack = [item.summary, item.closedBy ?? '', item.conversationId, ...item.flags.map(flagLabel)].join(' ').toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
    for (const item of shown) {
      const row = el('tr', 'queue__row');
      row.dataset.conversationId = item.conversationId;
      const cells: Node[] = [
        priorityBadge(item.priority),
        flagList(item.flags),
        el('span', null, `${clockTime(item.closedAt)}${item.closedBy ? ` by ${item.closedBy}` : ''}`),
        el('span', null, outcomeLabel(item.outcome)),
        el('span', 'queue__summary', item.summary),
      ];
      for (const node of cells) row.appendChild(el('td')).appendChild(node);
      row.appendChild(this.openCell(item.conversationId));
      setText(row.cells[5].querySelector('.visually-hidden') ?? row.cells[5], ` closed conversation: ${item.summary}`);
      queue.closedBody.appendChild(row);
    }
    setText(queue.summary, `${shown.length} closed ${shown.length === 1 ? 'conversation' : 'conversations'} in the last ${CLOSED_DAYS} days. Open one to re-open it.`);
    setHidden(queue.closedWrap, shown.length === 0);
    setHidden(queue.closedEmpty, shown.length !== 0);
  }
}

/** Whether the safeguarding alerts of an urgent item reached their receiver, in words. */
function alertsText(item: ConsoleQueueItem): HTMLElement {
  const { alerts } = item;
  if (item.priority !== 'urgent') return el('span', 'muted', 'None');
  if (!alerts) return el('span', 'muted', 'Not set up');
  if (alerts.sent === 0) return el('span', 'alerts alerts--pending', 'None sent');
  let text = `${alerts.delivered} of ${alerts.sent} delivered`;
  if (alerts.pending > 0) text += `, ${alerts.pending} still trying`;
  else if (alerts.lastDeliveredAt) text += `, last at ${clockTime(alerts.lastDeliveredAt)}`;
  return el('span', `alerts${alerts.pending > 0 ? ' alerts--pending' : ''}`, text);
}

function statusText(item: ConsoleQueueItem, me: string | undefined): HTMLElement {
  if (item.status === 'claimed') {
    const who = item.claimedBy ? (item.claimedBy === me ? 'you' : item.claimedBy) : 'an adviser';
    return el('span', 'status status--claimed', `Claimed by ${who}`);
  }
  return el('span', 'status status--waiting', statusLabel(item.status));
}
