import type { ConsoleQueueItem } from '../shared/consoleApi';
import { setHidden, setText } from './dom';
import type { ConsoleState } from './state';

const BASE_TITLE = 'Adviser console';
const SOUND_KEY = 'adviser-console.sound';
const NOTIFY_OFF_KEY = 'adviser-console.notifications-off';

/**
 * What tells an adviser a pupil needs them while they look elsewhere: the tab's title (how many are
 * waiting), the urgent banner, a desktop notification for each new urgent or high-priority pupil
 * and for a conversation passed to them (the Notification API, permission asked only when the
 * adviser presses the button), and an optional sound.
 */
export class Alerts {
  /** conversations already told about in this session */
  private seen = new Set<string>();
  private heldByMe = new Set<string>();
  private first = true;
  private bannerFor: string | null = null;
  private audio: AudioContext | null = null;

  constructor(
    private readonly state: ConsoleState,
    private readonly open: (conversationId: string) => void,
  ) {
    const { ui } = state;
    ui.urgentOpen.addEventListener('click', () => {
      const id = this.bannerFor;
      this.clearBanner();
      if (id) open(id);
    });
    ui.urgentDismiss.addEventListener('click', () => this.clearBanner());
    ui.queue.notifyButton.addEventListener('click', () => void this.askPermission());
    ui.queue.sound.checked = localStorage.getItem(SOUND_KEY) === 'on';
    ui.queue.sound.addEventListener('change', () => {
      localStorage.setItem(SOUND_KEY, ui.queue.sound.checked ? 'on' : 'off');
      if (ui.queue.sound.checked) this.beep(1);
    });
    // Browsers start sound only after a click or key press on the page: be ready by then.
    const wake = () => void this.audio?.resume();
    window.addEventListener('pointerdown', wake);
    window.addEventListener('keydown', wake);
    this.showPermission();
  }

  /** A new session: nothing seen yet, and what is already waiting is shown but not notified. */
  reset(): void {
    this.seen = new Set();
    this.heldByMe = new Set();
    this.first = true;
    this.clearBanner();
    document.title = BASE_TITLE;
  }

  /** The queue has changed. */
  notice(items: readonly ConsoleQueueItem[]): void {
    const me = this.state.me?.username;
    const waiting = items.filter((item) => item.status === 'waiting');
    const urgent = waiting.filter((item) => item.priority === 'urgent');
    document.title = waiting.length ? `(${waiting.length} waiting${urgent.length ? `, ${urgent.length} urgent` : ''}) ${BASE_TITLE}` : BASE_TITLE;

    const fresh = waiting.filter((item) => item.priority !== 'standard' && !this.seen.has(item.conversationId));
    for (const item of waiting) this.seen.add(item.conversationId);
    const passedToMe = items.filter((item) => item.status === 'claimed' && item.claimedBy === me && !this.heldByMe.has(item.conversationId));
    this.heldByMe = new Set(items.filter((item) => item.status === 'claimed' && item.claimedBy === me).map((item) => item.conversationId));
    const first = this.first;
    this.first = false;

    const freshUrgent = fresh.filter((item) => item.priority === 'urgent');
    if (freshUrgent.length > 0) {
      const newest = freshUrgent[freshUrgent.length - 1];
      const count = freshUrgent.length === 1 ? 'a new urgent conversation is waiting' : `${freshUrgent.length} new urgent conversations are waiting`;
      this.showBanner(`URGENT: ${count}. ${newest.summary ? `Latest: ${newest.summary}` : ''}`.trim(), newest.conversationId);
    } else if (this.bannerFor && !urgent.some((item) => item.conversationId === this.bannerFor)) {
      // The conversation the banner points at has been claimed or has left the queue.
      this.clearBanner();
    }
    if (first) return;
    for (const item of fresh)
      this.notify(item.priority === 'urgent' ? 'Urgent: a pupil needs an adviser now' : 'A pupil with a high-priority need is waiting', item.summary, item.conversationId, item.priority === 'urgent');
    for (const item of passedToMe) this.notify('A conversation was passed to you', item.summary, item.conversationId, false);
    if (fresh.length > 0) this.beep(freshUrgent.length > 0 ? 2 : 1);
  }

  /** Called before an action of this adviser's own, so it is not announced back to them. */
  holding(conversationId: string): void {
    this.heldByMe.add(conversationId);
  }

  private notify(title: string, body: string, conversationId: string, urgent: boolean): void {
    if (!('Notification' in window) || Notification.permission !== 'granted' || localStorage.getItem(NOTIFY_OFF_KEY) === 'on') return;
    // The summary says the topic and flags only, never the pupil's words.
    const notification = new Notification(title, { body, tag: conversationId, requireInteraction: urgent });
    notification.addEventListener('click', () => {
      window.focus();
      this.open(conversationId);
      notification.close();
    });
  }

  private async askPermission(): Promise<void> {
    if (!('Notification' in window)) return;
    localStorage.removeItem(NOTIFY_OFF_KEY);
    await Notification.requestPermission();
    this.showPermission();
  }

  private showPermission(): void {
    const { notifyStatus, notifyButton } = this.state.ui.queue;
    if (!('Notification' in window)) {
      setText(notifyStatus, 'This browser cannot show desktop notifications. The tab title shows how many pupils are waiting.');
      return setHidden(notifyButton, true);
    }
    const permission = Notification.permission;
    setHidden(notifyButton, permission !== 'default');
    setText(
      notifyStatus,
      permission === 'granted'
        ? 'Desktop notifications are on for new urgent and high-priority pupils, and for conversations passed to you.'
        : permission === 'denied'
          ? "Desktop notifications are blocked in this browser's settings. The tab title shows how many pupils are waiting."
          : 'Get a desktop notification when an urgent or high-priority pupil joins the queue, even in another tab.',
    );
  }

  /** One or two short tones, if the adviser has asked for sound. */
  private beep(times: number): void {
    if (!this.state.ui.queue.sound.checked) return;
    this.audio ??= new AudioContext();
    const start = this.audio.currentTime;
    for (let n = 0; n < times; n += 1) {
      const tone = this.audio.createOscillator();
      const gain = this.audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.15;
      tone.connect(gain).connect(this.audio.destination);
      tone.start(start + n * 0.3);
      tone.stop(start + n * 0.3 + 0.18);
    }
  }

  private showBanner(text: string, conversationId: string): void {
    const { ui } = this.state;
    this.bannerFor = conversationId;
    ui.urgentBanner.classList.add('urgent-banner--active');
    // Emptied first so that the same words are announced again for a second urgent item.
    setText(ui.urgentAlert, '');
    setText(ui.urgentAlert, text);
    setHidden(ui.urgentActions, false);
  }

  clearBanner(): void {
    const { ui } = this.state;
    const hadFocus = ui.urgentBanner.contains(document.activeElement);
    this.bannerFor = null;
    ui.urgentBanner.classList.remove('urgent-banner--active');
    setText(ui.urgentAlert, '');
    setHidden(ui.urgentActions, true);
    if (hadFocus) (this.state.view === 'conversation' ? ui.conversation.heading : ui.queue.heading).focus();
  }
}
