import type { PresenceStatus } from '../shared/consoleApi';
import { announce } from './dom';
import type { ConsoleState } from './state';

const CHOSEN_KEY = 'adviser-console.presence';

const isStatus = (value: string | null): value is PresenceStatus => value === 'available' || value === 'busy' || value === 'away';

/**
 * The adviser's presence: the status they choose in the header, said again to the server while
 * they are active (so it does not lapse), and away once they have been idle for the deployment's
 * time (ADVISER_AWAY_AFTER_MINUTES); back to what they chose when they return. The server lets a
 * status lapse to away by itself if the console stops saying it (closed, asleep, offline).
 */
export class Presence {
  private lastActive = Date.now();
  private idle = false;
  private timer: number | undefined;

  constructor(
    private readonly state: ConsoleState,
    private readonly changed: () => void,
  ) {
    const { presence } = state.ui;
    presence.addEventListener('change', () => {
      if (!isStatus(presence.value)) return;
      localStorage.setItem(CHOSEN_KEY, presence.value);
      this.idle = false;
      void this.send(presence.value);
    });
    const active = () => this.active();
    for (const event of ['pointerdown', 'keydown', 'wheel', 'focus'] as const) window.addEventListener(event, active, { passive: true });
    let moved = 0;
    window.addEventListener('pointermove', () => {
      if (Date.now() - moved > 5_000) active();
      moved = Date.now();
    });
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && active());
  }

  private get awayAfterMs(): number {
    return (this.state.me?.awayAfterMinutes ?? 10) * 60_000;
  }

  private chosen(): PresenceStatus {
    const stored = localStorage.getItem(CHOSEN_KEY);
    return isStatus(stored) ? stored : 'available';
  }

  /** After sign-in: the status chosen last time in this browser (available at first), renewed while active. */
  start(): void {
    this.stop();
    this.lastActive = Date.now();
    this.idle = false;
    const status = this.chosen();
    this.state.ui.presence.value = status;
    void this.send(status);
    // Renewed well within the time a status lasts on the server.
    this.timer = window.setInterval(() => this.beat(), Math.min(60_000, this.awayAfterMs / 3));
  }

  stop(): void {
    if (this.timer !== undefined) window.clearInterval(this.timer);
    this.timer = undefined;
  }

  private active(): void {
    this.lastActive = Date.now();
    if (!this.idle || !this.state.me) return;
    this.idle = false;
    const status = this.chosen();
    this.state.ui.presence.value = status;
    announce(this.state.ui.live, `Welcome back. Your status is ${status} again.`);
    void this.send(status);
  }

  private beat(): void {
    if (!this.state.me) return;
    if (!this.idle && Date.now() - this.lastActive >= this.awayAfterMs) {
      this.idle = true;
      this.state.ui.presence.value = 'away';
      announce(this.state.ui.live, 'You have been idle, so your status is now away.');
      return void this.send('away');
    }
    if (!this.idle && this.chosen() !== 'away') void this.send(this.chosen());
  }

  private async send(status: PresenceStatus): Promise<void> {
    try {
      const response = await this.state.api.call('PUT', '/api/adviser/presence', { status });
      if (response.ok) this.changed();
    } catch {
      // Unreachable, or signed out (sign-in shows): the next beat says it again.
    }
  }
}
