// The adviser console: sign in, watch the queue (live, with search and filters, who is online
// and alerts for new pupils), open a conversation, claim it, reply (saved replies by "/"), keep
// private notes, pass it on, close it and re-open it. Plain DOM, no framework, no inline script or
// style (the page is served with a strict Content-Security-Policy). Bundled by esbuild from these
// modules (`npm run build`), with the flag labels and API types it shares with the server.
import type { SessionResponse } from '../shared/consoleApi';
import { Alerts } from './alerts';
import { Api, errorMessage } from './api';
import { wireConversationActions } from './conversationActions';
import { ConversationView } from './conversationView';
import { clear, setHidden, setText } from './dom';
import { LiveUpdates } from './liveUpdates';
import { Presence } from './presence';
import { QueueView } from './queueView';
import { SavedReplies } from './savedReplies';
import { wireSlashReplies } from './slashReplies';
import type { ConsoleState } from './state';
import { findUi, showView } from './ui';

const ui = findUi();
const api = new Api(() => sessionEnded('Your session has ended. Please sign in again.'));
const state: ConsoleState = { ui, api, me: null, view: 'loading', queue: [], queueReceivedAt: 0, queueLoaded: false, advisers: [] };

const open = (conversationId: string) => conversation.open(conversationId);
const queueView = new QueueView(state, open);
const alerts = new Alerts(state, open);
const conversation = new ConversationView(state, (id) => live.watch(id));
const saved = new SavedReplies(state, () => showQueue(true));
const presence = new Presence(state, () => void live.refreshQueue());
const live = new LiveUpdates(state, {
  queue: (items) => {
    state.queue = items;
    state.queueReceivedAt = Date.now();
    state.queueLoaded = true;
    queueView.render();
    alerts.notice(items);
    conversation.rerender();
    setText(
      ui.queue.updated,
      `Updates by itself${live.mode === 'polling' ? ' (checking every few seconds)' : ''}. Last change ${new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })}.`,
    );
  },
  presence: (advisers) => {
    state.advisers = advisers;
    queueView.renderOnline();
    conversation.rerender();
  },
  conversation: () => conversation.refresh(),
  signedOut: () => sessionEnded('Your session has ended. Please sign in again.'),
});
wireSlashReplies(state, conversation, saved);
wireConversationActions(state, conversation, {
  holding: (id) => alerts.holding(id),
  toQueue: (message, id) => {
    showQueue(!id);
    setText(ui.queue.message, message);
    const row = id ? Array.from(ui.queue.body.rows).find((candidate) => candidate.dataset.conversationId === id) : undefined;
    if (id) (row?.querySelector('button') ?? ui.queue.heading).focus();
  },
  queueChanged: () => {
    void live.refreshQueue();
    queueView.forgetClosed();
  },
});
window.setInterval(() => queueView.tick(), 15_000);

function showQueue(focusHeading: boolean): void {
  conversation.close();
  state.view = 'queue';
  setText(ui.queue.message, '');
  showView(ui, 'queue', focusHeading ? ui.queue.heading : null);
}

function signedIn(session: SessionResponse): void {
  api.session += 1;
  api.csrfToken = session.csrfToken;
  state.me = session;
  state.queue = [];
  state.queueLoaded = false;
  alerts.reset();
  setText(ui.userName, session.username);
  setHidden(ui.userArea, false);
  setText(ui.login.error, '');
  setText(ui.login.message, '');
  queueView.signedIn();
  saved.signedIn();
  showQueue(true);
  presence.start();
  live.start();
  openFromAddress();
}

/**
 * A safeguarding alert links to /adviser#conversation=<id>: once signed in, that conversation
 * opens. The fragment is then taken off the address, so going back shows the queue.
 */
function openFromAddress(): void {
  const match = /^#conversation=(.+)$/.exec(window.location.hash);
  if (!match || !api.csrfToken) return;
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return;
  }
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  open(id);
}
window.addEventListener('hashchange', openFromAddress);

function signedOut(message: string, isError: boolean): void {
  api.session += 1;
  api.csrfToken = null;
  state.me = null;
  live.stop();
  presence.stop();
  conversation.close();
  alerts.reset();
  clear(ui.queue.body);
  setHidden(ui.userArea, true);
  setText(ui.userName, '');
  ui.login.password.value = '';
  setText(isError ? ui.login.error : ui.login.message, message);
  setText(isError ? ui.login.message : ui.login.error, '');
  state.view = 'login';
  showView(ui, 'login', message ? ui.login.heading : ui.login.username);
}

function sessionEnded(message: string): void {
  if (api.csrfToken) signedOut(message, true);
}

ui.login.form.addEventListener('submit', (event) => {
  event.preventDefault();
  const username = ui.login.username.value.trim();
  const password = ui.login.password.value;
  setText(ui.login.message, '');
  if (!username || !password) {
    setText(ui.login.error, 'Enter your username and password.');
    return (username ? ui.login.password : ui.login.username).focus();
  }
  ui.login.submit.disabled = true;
  setText(ui.login.error, '');
  void (async () => {
    try {
      const response = await api.request<{ csrfToken: string; username: string }>('POST', '/api/adviser/login', { username, password });
      ui.login.password.value = '';
      if (response.ok && response.data?.csrfToken) {
        api.csrfToken = response.data.csrfToken;
        const session = await api.request<SessionResponse>('GET', '/api/adviser/session');
        if (session.ok && session.data) return signedIn(session.data);
      }
      if (response.status === 401) {
        setText(ui.login.error, 'Sign-in failed: the username or password is not right. Check them and try again.');
      } else if (response.status === 429) {
        const seconds = parseInt(response.headers.get('Retry-After') ?? '', 10);
        const wait = Number.isNaN(seconds) ? 'a few minutes' : seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
        setText(ui.login.error, `Too many sign-in attempts. Please wait ${wait} and try again.`);
      } else {
        setText(ui.login.error, errorMessage(response, `Sign-in did not work (error ${response.status}). Please try again.`));
      }
      ui.login.password.focus();
    } catch {
      setText(ui.login.error, 'The server could not be reached. Check your connection and try again.');
    } finally {
      ui.login.submit.disabled = false;
    }
  })();
});

ui.logout.addEventListener('click', () => {
  ui.logout.disabled = true;
  void api
    .request('POST', '/api/adviser/logout')
    .catch(() => null)
    .finally(() => {
      ui.logout.disabled = false;
      signedOut('You have signed out.', false);
    });
});

// Restore a session that is still open (the cookie is HttpOnly; only the server can tell).
showView(ui, 'loading');
api
  .request<SessionResponse>('GET', '/api/adviser/session')
  .then((response) => (response.ok && response.data?.csrfToken ? signedIn(response.data) : signedOut('', false)))
  .catch(() => {
    signedOut('', false);
    setText(ui.login.error, 'The server could not be reached. Check your connection and reload the page.');
  });
