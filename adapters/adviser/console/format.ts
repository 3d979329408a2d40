import { flagLabel, PRIORITY_LABELS } from '../../../knowledge/adviserLabels';
import type { Priority } from '../shared/consoleApi';
import { el } from './dom';

const CHANNEL_LABELS: Record<string, string> = { directline: 'Web chat', webchat: 'Web chat', msteams: 'Teams', emulator: 'Emulator', test: 'Test' };
const STATUS_LABELS: Record<string, string> = { waiting: 'Waiting', claimed: 'Claimed', closed: 'Closed' };
export const OUTCOME_LABELS: Record<string, string> = { resolved: 'resolved', 'referred-on': 'referred on', 'no-reply': 'no reply' };
export const PRESENCE_LABELS: Record<string, string> = { available: 'Available', busy: 'Busy', away: 'Away' };
export const SPEAKER_LABELS: Record<string, string> = { pupil: 'Pupil', bot: 'Bot', adviser: 'Adviser' };

function label(map: Record<string, string>, key: string | undefined): string {
  return key !== undefined && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : String(key ?? '');
}

export const channelLabel = (channel: string): string => label(CHANNEL_LABELS, channel);
export const statusLabel = (status: string): string => label(STATUS_LABELS, status);
export const outcomeLabel = (outcome: string | undefined): string => label(OUTCOME_LABELS, outcome);

export function isPriority(value: string | undefined): value is Priority {
  return value === 'urgent' || value === 'high' || value === 'standard';
}

export function priorityBadge(priority: string): HTMLSpanElement {
  const known = isPriority(priority) ? priority : 'standard';
  return el('span', `priority priority--${known}`, PRIORITY_LABELS[known]);
}

export function flagList(flags: readonly string[]): HTMLElement {
  if (flags.length === 0) return el('span', 'muted', 'None');
  const list = el('ul', 'flags');
  for (const flag of flags) list.appendChild(el('li', `flag${flag === 'crisis' ? ' flag--crisis' : ''}`, flagLabel(flag)));
  return list;
}

/** "under 1 min", "12 min", "3 h 5 min", "4 days" */
export function waitingText(ms: number): string {
  if (Number.isNaN(ms)) return 'unknown';
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'under 1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return `${hours} h${rest ? ` ${rest} min` : ''}`;
  return `${Math.floor(hours / 24)} days`;
}

export function clockTime(iso: string | undefined): string {
  const date = new Date(iso ?? '');
  if (Number.isNaN(date.getTime())) return '';
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}

export function timeElement(iso: string | undefined, className: string): HTMLTimeElement {
  const node = el('time', className, clockTime(iso));
  if (iso) node.setAttribute('datetime', iso);
  return node;
}
