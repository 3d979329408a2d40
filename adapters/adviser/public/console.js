// The adviser console: sign in, watch the queue, open a conversation, claim it, reply, keep
// private notes and close it. Plain DOM, no framework, no inline script or style (the page is
// served with a strict Content-Security-Policy).
//
// SECURITY: everything that comes from the server (pupil, bot and adviser text, summaries,
// names, error messages) is put into the page with textContent / createTextNode only. Nothing
// here ever assigns innerHTML, outerHTML or insertAdjacentHTML.
(function () {
  'use strict';

  var QUEUE_POLL_MS = 3000;
  var CONVERSATION_POLL_MS = 2000;
  var BASE_TITLE = 'Adviser console';

  var PRIORITY_LABELS = { urgent: 'URGENT', high: 'High', standard: 'Standard' };
  var FLAG_LABELS = {
    crisis: 'Crisis',
    'looked-after': 'Looked after',
    send: 'SEND',
    'young-carer': 'Young carer',
    'free-school-meals': 'Free school meals',
    wellbeing: 'Wellbeing',
    'neet-risk': 'NEET risk',
    'asked-for-adviser': 'Asked for an adviser',
    'impartiality-concern': 'Impartiality concern',
    'not-understood': 'Not understood',
  };
  var CHANNEL_LABELS = { directline: 'Web chat', webchat: 'Web chat', msteams: 'Teams', emulator: 'Emulator', test: 'Test' };
  var STATUS_LABELS = { waiting: 'Waiting', claimed: 'Claimed', closed: 'Closed' };
  var SPEAKER_LABELS = { pupil: 'Pupil', bot: 'Bot', adviser: 'Adviser' };
  var OUTCOME_LABELS = { resolved: 'resolved', 'referred-on': 'referred on', 'no-reply': 'no reply' };

  var SESSION_ENDED = { sessionEnded: true };

  function $(id) {
    return document.getElementById(id);
  }

  var ui = {
    loading: $('loading-view'),
    userArea: $('user-area'),
    userName: $('user-name'),
    logout: $('logout-button'),
    urgentBanner: $('urgent-banner'),
    urgentAlert: $('urgent-alert'),
    urgentActions: $('urgent-actions'),
    urgentOpen: $('urgent-open'),
    urgentDismiss: $('urgent-dismiss'),
    loginView: $('login-view'),
    loginHeading: $('login-heading'),
    loginForm: $('login-form'),
    loginUsername: $('login-username'),
    loginPassword: $('login-password'),
    loginSubmit: $('login-submit'),
    loginError: $('login-error'),
    loginMessage: $('login-message'),
    queueView: $('queue-view'),
    queueHeading: $('queue-heading'),
    queueUpdated: $('queue-updated'),
    queueMessage: $('queue-message'),
    queueError: $('queue-error'),
    queueSummary: $('queue-summary'),
    queueTable: $('queue-table'),
    queueBody: $('queue-body'),
    queueEmpty: $('queue-empty'),
    conversationView: $('conversation-view'),
    conversationHeading: $('conversation-heading'),
    conversationPriority: $('conversation-priority'),
    conversationError: $('conversation-error'),
    conversationMessage: $('conversation-message'),
    details: $('conversation-details'),
    transcript: $('transcript'),
    transcriptList: $('transcript-list'),
    jumpLatest: $('jump-latest'),
    back: $('back-button'),
    claimStatus: $('claim-status'),
    claimButton: $('claim-button'),
    messageForm: $('message-form'),
    messageFieldset: $('message-fieldset'),
    messageHint: $('message-hint'),
    messageText: $('message-text'),
    messageSend: $('message-send'),
    notesList: $('notes-list'),
    noteForm: $('note-form'),
    noteText: $('note-text'),
    noteSave: $('note-save'),
    closeForm: $('close-form'),
    closeFieldset: $('close-fieldset'),
    closeOutcome: $('close-outcome'),
    closeNote: $('close-note'),
    closeButton: $('close-button'),
    closeHint: $('close-hint'),
    noteFieldset: $('note-fieldset'),
  };

  var state = {
    username: null,
    csrfToken: null,
    session: 0, // bumped at every sign-in and sign-out, so late answers from an old session are dropped
    view: 'loading',
    queueTimer: null,
    queueItems: [],
    queueFetchedAt: 0,
    queueLoaded: false,
    seenUrgent: Object.create(null),
    bannerConversationId: null,
    conversation: null, // { id, data, transcriptCount, noteCount, claimedByMe, timer, generation }
    conversationGeneration: 0,
  };

  // ---------------------------------------------------------------- helpers

  /** Makes an element with a class and text; text always goes in as a text node. */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.appendChild(document.createTextNode(String(text)));
    return node;
  }

  function setText(node, text) {
    var value = text === undefined || text === null ? '' : String(text);
    if (node.textContent !== value) node.textContent = value;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function setHidden(node, hidden) {
    if (node.hidden !== hidden) node.hidden = hidden;
  }

  function label(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : String(key || '');
  }

  /**
   * How long an item has waited. The server says how long by the bot's clock (waitedSeconds),
   * which may be set to another date than this computer's; the time since the queue was
   * fetched is added, so the figure keeps counting between fetches.
   */
  function waitedMs(item, now) {
    if (typeof item.waitedSeconds === 'number' && state.queueFetchedAt) return item.waitedSeconds * 1000 + Math.max(0, now - state.queueFetchedAt);
    var since = Date.parse(item.waitingSince);
    return isNaN(since) ? NaN : now - since;
  }

  function waitingFor(item, now) {
    var ms = waitedMs(item, now || Date.now());
    if (isNaN(ms)) return 'unknown';
    var minutes = Math.max(0, Math.floor(ms / 60000));
    if (minutes < 1) return 'under 1 min';
    if (minutes < 60) return minutes + ' min';
    var hours = Math.floor(minutes / 60);
    var rest = minutes % 60;
    if (hours < 48) return hours + ' h' + (rest ? ' ' + rest + ' min' : '');
    return Math.floor(hours / 24) + ' days';
  }

  function clockTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return '';
    var today = new Date();
    var time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    if (date.toDateString() === today.toDateString()) return time;
    return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' }) + ' ' + time;
  }

  function timeElement(iso, className) {
    var node = el('time', className, clockTime(iso));
    if (iso) node.setAttribute('datetime', String(iso));
    return node;
  }

  function errorMessage(response, fallback) {
    var data = response && response.data;
    if (data && data.error && typeof data.error.message === 'string' && data.error.message) return data.error.message;
    return fallback;
  }

  function conversationPath(id, action) {
    return '/api/adviser/conversations/' + encodeURIComponent(id) + (action ? '/' + action : '');
  }

  // ---------------------------------------------------------------- API

  /** One call to the adviser API. Resolves with { status, ok, data, headers }; rejects only on network failure. */
  function request(method, path, body) {
    var headers = { Accept: 'application/json' };
    var init = { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body === undefined ? {} : body);
      if (path !== '/api/adviser/login' && state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
    }
    return fetch(path, init).then(function (response) {
      var type = response.headers.get('Content-Type') || '';
      var parsed = response.status === 204 || type.indexOf('json') === -1 ? Promise.resolve(null) : response.json().catch(function () { return null; });
      return parsed.then(function (data) {
        return { status: response.status, ok: response.ok, data: data, headers: response.headers };
      });
    });
  }

  /** A call made while signed in: a 401 means the session has ended, so sign-in is shown again. */
  function api(method, path, body) {
    var session = state.session;
    return request(method, path, body).then(function (response) {
      if (session !== state.session) throw SESSION_ENDED; // signed out meanwhile: drop it
      if (response.status === 401) {
        sessionEnded('Your session has ended. Please sign in again.');
        throw SESSION_ENDED;
      }
      return response;
    });
  }

  // ---------------------------------------------------------------- views

  function showView(name, focusTarget) {
    state.view = name;
    setHidden(ui.loading, name !== 'loading');
    setHidden(ui.loginView, name !== 'login');
    setHidden(ui.queueView, name !== 'queue');
    setHidden(ui.conversationView, name !== 'conversation');
    if (focusTarget) focusTarget.focus();
  }

  function signedIn(session) {
    state.session += 1;
    state.username = session.username || state.username || '';
    state.csrfToken = session.csrfToken;
    state.queueLoaded = false;
    state.queueItems = [];
    state.seenUrgent = Object.create(null);
    setText(ui.userName, state.username);
    setHidden(ui.userArea, false);
    setText(ui.loginError, '');
    setText(ui.loginMessage, '');
    showQueue(true);
    pollQueue();
    openFromAddress();
  }

  /**
   * A safeguarding alert links to /adviser#conversation=<id>: once signed in, that conversation
   * opens. The fragment is then taken off the address, so going back shows the queue.
   */
  function openFromAddress() {
    var match = /^#conversation=(.+)$/.exec(window.location.hash || '');
    if (!match || !state.csrfToken) return;
    var id;
    try {
      id = decodeURIComponent(match[1]);
    } catch (error) {
      return;
    }
    if (window.history && window.history.replaceState) window.history.replaceState(null, '', window.location.pathname + window.location.search);
    openConversation(id);
  }

  window.addEventListener('hashchange', openFromAddress);

  function signedOut(message, isError) {
    state.session += 1;
    state.username = null;
    state.csrfToken = null;
    stopQueuePolling();
    stopConversation();
    clearBanner();
    document.title = BASE_TITLE;
    clear(ui.queueBody);
    setHidden(ui.userArea, true);
    setText(ui.userName, '');
    ui.loginPassword.value = '';
    setText(isError ? ui.loginError : ui.loginMessage, message || '');
    setText(isError ? ui.loginMessage : ui.loginError, '');
    showView('login', message ? ui.loginHeading : ui.loginUsername);
  }

  function sessionEnded(message) {
    if (!state.csrfToken) return;
    signedOut(message, true);
  }

  // ---------------------------------------------------------------- sign in and out

  ui.loginForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var username = ui.loginUsername.value.trim();
    var password = ui.loginPassword.value;
    setText(ui.loginMessage, '');
    if (!username || !password) {
      setText(ui.loginError, 'Enter your username and password.');
      (username ? ui.loginPassword : ui.loginUsername).focus();
      return;
    }
    ui.loginSubmit.disabled = true;
    setText(ui.loginError, '');
    request('POST', '/api/adviser/login', { username: username, password: password })
      .then(function (response) {
        if (response.ok && response.data && response.data.csrfToken) {
          ui.loginPassword.value = '';
          signedIn({ username: response.data.username || username, csrfToken: response.data.csrfToken });
          return;
        }
        ui.loginPassword.value = '';
        if (response.status === 401) {
          setText(ui.loginError, 'Sign-in failed: the username or password is not right. Check them and try again.');
        } else if (response.status === 429) {
          var seconds = parseInt(response.headers.get('Retry-After') || '', 10);
          var wait = isNaN(seconds) ? 'a few minutes' : seconds < 90 ? seconds + ' seconds' : Math.ceil(seconds / 60) + ' minutes';
          setText(ui.loginError, 'Too many sign-in attempts. Please wait ' + wait + ' and try again.');
        } else {
          setText(ui.loginError, errorMessage(response, 'Sign-in did not work (error ' + response.status + '). Please try again.'));
        }
        ui.loginPassword.focus();
      })
      .catch(function () {
        setText(ui.loginError, 'The server could not be reached. Check your connection and try again.');
      })
      .then(function () {
        ui.loginSubmit.disabled = false;
      });
  });

  ui.logout.addEventListener('click', function () {
    ui.logout.disabled = true;
    request('POST', '/api/adviser/logout')
      .catch(function () { return null; })
      .then(function () {
        ui.logout.disabled = false;
        signedOut('You have signed out.', false);
      });
  });

  // ---------------------------------------------------------------- queue

  function stopQueuePolling() {
    if (state.queueTimer) clearTimeout(state.queueTimer);
    state.queueTimer = null;
  }

  function scheduleQueuePoll() {
    stopQueuePolling();
    state.queueTimer = setTimeout(pollQueue, QUEUE_POLL_MS);
  }

  /** Polls the queue all the time while signed in, so urgent alerts come in whatever view is open. */
  function pollQueue() {
    stopQueuePolling();
    var session = state.session;
    api('GET', '/api/adviser/queue')
      .then(function (response) {
        if (!response.ok || !response.data || !Array.isArray(response.data.items)) {
          setText(ui.queueError, errorMessage(response, 'The queue could not be loaded (error ' + response.status + '). Trying again.'));
          return;
        }
        setText(ui.queueError, '');
        updateQueue(response.data.items);
      })
      .catch(function (error) {
        if (error === SESSION_ENDED) return;
        setText(ui.queueError, 'The server could not be reached. Trying again.');
      })
      .then(function () {
        if (session === state.session && state.csrfToken) scheduleQueuePoll();
      });
  }

  function updateQueue(items) {
    state.queueLoaded = true;
    state.queueFetchedAt = Date.now();
    state.queueItems = items;
    renderQueue(items);
    var now = new Date();
    setText(ui.queueUpdated, 'Updates by itself. Last checked ' + now.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }) + '.');
    noticeUrgent(items);
  }

  function waitingUrgent(items) {
    return items.filter(function (item) {
      return item.priority === 'urgent' && item.status !== 'claimed';
    });
  }

  function noticeUrgent(items) {
    var urgent = waitingUrgent(items);
    var fresh = urgent.filter(function (item) {
      return !state.seenUrgent[item.conversationId];
    });
    urgent.forEach(function (item) {
      state.seenUrgent[item.conversationId] = true;
    });
    document.title = urgent.length ? '(' + urgent.length + ' urgent) ' + BASE_TITLE : BASE_TITLE;

    if (fresh.length) {
      var newest = fresh[fresh.length - 1];
      var text =
        (fresh.length === 1 ? 'URGENT: a new urgent conversation is waiting' : 'URGENT: ' + fresh.length + ' new urgent conversations are waiting') +
        '. ' +
        (newest.summary ? 'Latest: ' + newest.summary : '');
      showBanner(text.trim(), newest.conversationId);
      return;
    }
    // The conversation the banner points at has been claimed or has left the queue: clear it.
    if (state.bannerConversationId && !urgent.some(function (item) { return item.conversationId === state.bannerConversationId; })) clearBanner();
  }

  function showBanner(text, conversationId) {
    state.bannerConversationId = conversationId;
    ui.urgentBanner.classList.add('urgent-banner--active');
    // Emptied first so that the same words are announced again for a second urgent item.
    setText(ui.urgentAlert, '');
    setText(ui.urgentAlert, text);
    setHidden(ui.urgentActions, false);
  }

  function clearBanner() {
    var hadFocus = ui.urgentBanner.contains(document.activeElement);
    state.bannerConversationId = null;
    ui.urgentBanner.classList.remove('urgent-banner--active');
    setText(ui.urgentAlert, '');
    setHidden(ui.urgentActions, true);
    if (hadFocus) (state.view === 'conversation' ? ui.conversationHeading : ui.queueHeading).focus();
  }

  ui.urgentOpen.addEventListener('click', function () {
    var id = state.bannerConversationId;
    clearBanner();
    if (id) openConversation(id);
  });
  ui.urgentDismiss.addEventListener('click', clearBanner);

  function renderQueue(items) {
    var active = document.activeElement;
    var now = Date.now();
    var rows = Object.create(null);
    Array.prototype.forEach.call(ui.queueBody.rows, function (row) {
      rows[row.getAttribute('data-conversation-id')] = row;
    });

    items.forEach(function (item, index) {
      var row = rows[item.conversationId] || createQueueRow(item.conversationId);
      delete rows[item.conversationId];
      fillQueueRow(row, item, now);
      var at = ui.queueBody.rows[index];
      if (at !== row) ui.queueBody.insertBefore(row, at || null);
    });
    Object.keys(rows).forEach(function (id) {
      ui.queueBody.removeChild(rows[id]);
    });

    // Moving a row can take the keyboard focus off its button: put it back. If the row has
    // gone (claimed elsewhere and closed), keep the keyboard user in the queue.
    if (active && active !== document.activeElement && active !== document.body) {
      if (document.body.contains(active)) active.focus();
      else if (state.view === 'queue') ui.queueHeading.focus();
    }

    var urgent = items.filter(function (item) { return item.priority === 'urgent'; }).length;
    var waiting = items.filter(function (item) { return item.status !== 'claimed'; }).length;
    setText(
      ui.queueSummary,
      items.length
        ? items.length + (items.length === 1 ? ' conversation' : ' conversations') + ' in the queue: ' + waiting + ' waiting' + (urgent ? ', ' + urgent + ' urgent' : '') + '.'
        : '',
    );
    setHidden(ui.queueTable, items.length === 0);
    setHidden(ui.queueEmpty, items.length !== 0);
  }

  function createQueueRow(id) {
    var row = document.createElement('tr');
    row.setAttribute('data-conversation-id', id);
    for (var i = 0; i < 7; i += 1) row.appendChild(document.createElement('td'));
    var actionCell = document.createElement('td');
    var button = el('button', 'button button--small queue__open');
    button.type = 'button';
    button.appendChild(el('span', null, 'Open'));
    button.appendChild(el('span', 'visually-hidden', ''));
    button.addEventListener('click', function (event) {
      event.stopPropagation();
      openConversation(id);
    });
    actionCell.appendChild(button);
    row.appendChild(actionCell);
    // The whole row opens the conversation for mouse users; keyboard users have the button.
    row.addEventListener('click', function (event) {
      if (window.getSelection && String(window.getSelection()).length) return; // selecting text, not opening
      if (event.target.closest && event.target.closest('button, a, input, select, textarea')) return;
      openConversation(id);
    });
    return row;
  }

  function fillQueueRow(row, item, now) {
    var cells = row.cells;
    var key = JSON.stringify([item.priority, item.flags, item.status, item.claimedBy, item.channel, item.summary, item.waitingSince, item.alerts || null]);
    row.className = 'queue__row queue__row--' + (PRIORITY_LABELS[item.priority] ? item.priority : 'standard');
    if (row.getAttribute('data-key') !== key) {
      row.setAttribute('data-key', key);

      clear(cells[0]);
      cells[0].appendChild(priorityBadge(item.priority));

      clear(cells[1]);
      cells[1].appendChild(flagList(item.flags));

      clear(cells[2]);
      var waited = el('time', 'queue__waiting');
      waited.setAttribute('datetime', String(item.waitingSince || ''));
      cells[2].appendChild(waited);

      clear(cells[3]);
      cells[3].appendChild(alertsText(item));

      setText(cells[4], label(CHANNEL_LABELS, item.channel));

      clear(cells[5]);
      cells[5].appendChild(el('span', 'queue__summary', item.summary || ''));

      clear(cells[6]);
      cells[6].appendChild(statusText(item.status, item.claimedBy));

      setText(row.cells[7].querySelector('.visually-hidden'), ' conversation: ' + label(PRIORITY_LABELS, item.priority) + ', ' + (item.summary || 'no summary'));
    }
    var time = cells[2].querySelector('time');
    if (time) setText(time, waitingFor(item, now));
  }

  /** Whether the safeguarding alerts of an urgent item reached their receiver, in words. */
  function alertsText(item) {
    var alerts = item.alerts;
    if (item.priority !== 'urgent') return el('span', 'muted', 'None');
    if (!alerts || typeof alerts.sent !== 'number') return el('span', 'muted', 'Not set up');
    if (alerts.sent === 0) return el('span', 'alerts alerts--pending', 'None sent');
    var text = alerts.delivered + ' of ' + alerts.sent + ' delivered';
    if (alerts.pending > 0) text += ', ' + alerts.pending + ' still trying';
    else if (alerts.lastDeliveredAt) text += ', last at ' + clockTime(alerts.lastDeliveredAt);
    return el('span', 'alerts' + (alerts.pending > 0 ? ' alerts--pending' : ''), text);
  }

  function priorityBadge(priority) {
    var known = PRIORITY_LABELS[priority] ? priority : 'standard';
    return el('span', 'priority priority--' + known, label(PRIORITY_LABELS, priority || 'standard'));
  }

  function flagList(flags) {
    if (!Array.isArray(flags) || !flags.length) return el('span', 'muted', 'None');
    var list = el('ul', 'flags');
    flags.forEach(function (flag) {
      list.appendChild(el('li', 'flag' + (flag === 'crisis' ? ' flag--crisis' : ''), label(FLAG_LABELS, flag)));
    });
    return list;
  }

  function statusText(status, claimedBy) {
    if (status === 'claimed') {
      var who = claimedBy ? (claimedBy === state.username ? 'you' : claimedBy) : 'an adviser';
      return el('span', 'status status--claimed', 'Claimed by ' + who);
    }
    return el('span', 'status status--' + (status === 'closed' ? 'closed' : 'waiting'), label(STATUS_LABELS, status || 'waiting'));
  }

  function showQueue(focusHeading) {
    stopConversation();
    showView('queue', focusHeading ? ui.queueHeading : null);
  }

  // ---------------------------------------------------------------- conversation

  function stopConversation() {
    var current = state.conversation;
    if (current && current.timer) clearTimeout(current.timer);
    state.conversation = null;
  }

  function openConversation(id) {
    stopConversation();
    state.conversationGeneration += 1;
    state.conversation = { id: id, data: null, transcriptCount: 0, noteCount: 0, claimedByMe: false, detailsKey: '', timer: null, generation: state.conversationGeneration };
    clear(ui.transcriptList);
    clear(ui.notesList);
    clear(ui.details);
    setText(ui.conversationError, '');
    setText(ui.conversationMessage, '');
    setText(ui.conversationPriority, '');
    ui.conversationPriority.className = 'priority';
    setText(ui.claimStatus, 'Loading…');
    setHidden(ui.claimButton, true);
    setHidden(ui.jumpLatest, true);
    ui.messageText.value = '';
    ui.noteText.value = '';
    ui.closeNote.value = '';
    ui.closeOutcome.value = 'resolved';
    ui.messageFieldset.disabled = true;
    ui.closeFieldset.disabled = true;
    ui.noteFieldset.disabled = false;
    setText(ui.conversationHeading, 'Conversation');
    showView('conversation', ui.conversationHeading);
    refreshConversation();
  }

  function currentConversation(generation) {
    var current = state.conversation;
    return current && current.generation === generation ? current : null;
  }

  function scheduleConversationPoll(generation) {
    var current = currentConversation(generation);
    if (!current) return;
    if (current.timer) clearTimeout(current.timer);
    current.timer = setTimeout(refreshConversation, CONVERSATION_POLL_MS);
  }

  /** Fetches the open conversation now, and keeps polling it every two seconds while it is open. */
  function refreshConversation() {
    var current = state.conversation;
    if (!current) return Promise.resolve();
    var generation = current.generation;
    if (current.timer) clearTimeout(current.timer);
    current.timer = null;
    return api('GET', conversationPath(current.id))
      .then(function (response) {
        var still = currentConversation(generation);
        if (!still) return;
        if (response.status === 404) {
          setText(ui.conversationError, 'This conversation is no longer available.');
          setText(ui.claimStatus, '');
          setHidden(ui.claimButton, true);
          ui.messageFieldset.disabled = true;
          ui.closeFieldset.disabled = true;
          return;
        }
        if (!response.ok || !response.data) {
          setText(ui.conversationError, errorMessage(response, 'The conversation could not be loaded (error ' + response.status + '). Trying again.'));
          return;
        }
        if (/could not be loaded|could not be reached/.test(ui.conversationError.textContent)) setText(ui.conversationError, '');
        renderConversation(still, response.data);
      })
      .catch(function (error) {
        if (error === SESSION_ENDED) return;
        if (currentConversation(generation)) setText(ui.conversationError, 'The server could not be reached. Trying again.');
      })
      .then(function () {
        scheduleConversationPoll(generation);
      });
  }

  function claimedByMe(current, data) {
    if (data.status !== 'claimed') return false;
    if (data.claimedBy) return data.claimedBy === state.username;
    return current.claimedByMe;
  }

  function renderConversation(current, data) {
    current.data = data;
    var mine = claimedByMe(current, data);
    current.claimedByMe = mine;

    ui.conversationPriority.className = 'priority priority--' + (PRIORITY_LABELS[data.priority] ? data.priority : 'standard');
    setText(ui.conversationPriority, label(PRIORITY_LABELS, data.priority || 'standard'));
    setText(ui.conversationHeading, 'Conversation with a pupil');

    renderDetails(current, data);
    renderTranscript(current, Array.isArray(data.transcript) ? data.transcript : []);
    renderNotes(current, Array.isArray(data.notes) ? data.notes : []);

    var closed = data.status === 'closed';
    var otherAdviser = data.status === 'claimed' && !mine;
    if (closed) {
      setText(ui.claimStatus, 'This conversation is closed. The pupil is back with the bot.');
    } else if (mine) {
      setText(ui.claimStatus, 'Claimed by you. The pupil sees your replies in their chat.');
    } else if (otherAdviser) {
      setText(ui.claimStatus, 'Claimed by ' + (data.claimedBy || 'another adviser') + '.');
    } else {
      setText(ui.claimStatus, 'Nobody has claimed it yet.');
    }
    setHidden(ui.claimButton, closed || mine || otherAdviser);

    var canReply = mine && !closed;
    if (ui.messageFieldset.disabled === canReply) ui.messageFieldset.disabled = !canReply;
    setText(
      ui.messageHint,
      closed ? 'This conversation is closed.' : canReply ? 'The pupil sees this in their chat.' : otherAdviser ? 'Another adviser is handling this conversation.' : 'Claim this conversation before you reply.',
    );
    // Only the adviser who holds a conversation can close it; notes can be kept until it closes.
    if (ui.closeFieldset.disabled === canReply) ui.closeFieldset.disabled = !canReply;
    setText(ui.closeHint, closed ? 'This conversation is closed.' : canReply ? 'The pupil is told and goes back to the bot.' : 'Claim this conversation before you close it.');
    if (ui.noteFieldset.disabled === !closed) ui.noteFieldset.disabled = closed;
  }

  /** The queue's item for a conversation (it carries the wait by the bot's clock), or the conversation's own data. */
  function queuedAs(id, data) {
    for (var i = 0; i < state.queueItems.length; i += 1) {
      var item = state.queueItems[i];
      if (item.conversationId === id && item.waitingSince === data.waitingSince) return item;
    }
    return { waitingSince: data.waitingSince };
  }

  function renderDetails(current, data) {
    var rows = [
      ['Status', data.status === 'claimed' ? 'Claimed by ' + (data.claimedBy ? (data.claimedBy === state.username ? 'you' : data.claimedBy) : current.claimedByMe ? 'you' : 'an adviser') : label(STATUS_LABELS, data.status)],
      ['Flags', null],
      ['Channel', label(CHANNEL_LABELS, data.channel)],
      ['Waiting since', data.waitingSince ? clockTime(data.waitingSince) + ' (' + waitingFor(queuedAs(current.id, data)) + ')' : ''],
      ['Summary', data.summary || ''],
    ];
    var key = JSON.stringify([rows, data.flags]);
    if (current.detailsKey === key) return;
    current.detailsKey = key;
    clear(ui.details);
    rows.forEach(function (pair) {
      if (pair[1] === '' ) return;
      var group = el('div', 'details__item');
      group.appendChild(el('dt', null, pair[0]));
      var value = el('dd');
      if (pair[0] === 'Flags') value.appendChild(flagList(data.flags));
      else value.appendChild(document.createTextNode(pair[1]));
      group.appendChild(value);
      ui.details.appendChild(group);
    });
  }

  function nearBottom(node) {
    return node.scrollHeight - node.scrollTop - node.clientHeight < 48;
  }

  function renderTranscript(current, lines) {
    var box = ui.transcript;
    var first = current.transcriptCount === 0;
    if (lines.length < current.transcriptCount) {
      clear(ui.transcriptList);
      current.transcriptCount = 0;
      first = true;
    }
    if (lines.length === current.transcriptCount) {
      if (first && !lines.length && !ui.transcriptList.firstChild) ui.transcriptList.appendChild(el('li', 'transcript__empty', 'Nothing has been said yet.'));
      return;
    }
    var stick = first || nearBottom(box);
    var empty = ui.transcriptList.querySelector('.transcript__empty');
    if (empty) ui.transcriptList.removeChild(empty);
    var newFromPupil = false;
    for (var i = current.transcriptCount; i < lines.length; i += 1) {
      var line = lines[i] || {};
      var from = SPEAKER_LABELS[line.from] ? line.from : 'other';
      if (from === 'pupil') newFromPupil = true;
      var item = el('li', 'line line--' + from);
      var meta = el('p', 'line__meta');
      meta.appendChild(el('span', 'line__who', label(SPEAKER_LABELS, line.from) + (from === 'adviser' && line.by ? ' (' + line.by + ')' : '')));
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(timeElement(line.timestamp, 'line__time'));
      item.appendChild(meta);
      item.appendChild(el('p', 'line__text', typeof line.text === 'string' ? line.text : ''));
      ui.transcriptList.appendChild(item);
    }
    current.transcriptCount = lines.length;
    if (stick) {
      box.scrollTop = box.scrollHeight;
      setHidden(ui.jumpLatest, true);
    } else if (newFromPupil || !first) {
      setHidden(ui.jumpLatest, false);
    }
  }

  ui.transcript.addEventListener('scroll', function () {
    if (!ui.jumpLatest.hidden && nearBottom(ui.transcript)) setHidden(ui.jumpLatest, true);
  });
  ui.jumpLatest.addEventListener('click', function () {
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
    setHidden(ui.jumpLatest, true);
    ui.transcript.focus();
  });

  function renderNotes(current, notes) {
    if (notes.length < current.noteCount) {
      clear(ui.notesList);
      current.noteCount = 0;
    }
    if (!notes.length) {
      if (!ui.notesList.firstChild) ui.notesList.appendChild(el('li', 'notes__empty muted', 'No notes yet.'));
      return;
    }
    var empty = ui.notesList.querySelector('.notes__empty');
    if (empty) ui.notesList.removeChild(empty);
    for (var i = current.noteCount; i < notes.length; i += 1) {
      var note = notes[i] || {};
      var item = el('li', 'note');
      var meta = el('p', 'note__meta');
      meta.appendChild(el('span', 'note__by', note.by || 'Adviser'));
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(timeElement(note.timestamp, 'note__time'));
      item.appendChild(meta);
      item.appendChild(el('p', 'note__text', typeof note.text === 'string' ? note.text : ''));
      ui.notesList.appendChild(item);
    }
    current.noteCount = notes.length;
  }

  // ---------------------------------------------------------------- conversation actions

  /** Runs one action on the open conversation with its button disabled, reporting errors. */
  function act(button, run) {
    var current = state.conversation;
    if (!current || button.disabled) return;
    var generation = current.generation;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    setText(ui.conversationError, '');
    setText(ui.conversationMessage, '');
    run(current)
      .catch(function (error) {
        if (error === SESSION_ENDED) return;
        if (currentConversation(generation)) setText(ui.conversationError, 'The server could not be reached. Please try again.');
      })
      .then(function () {
        button.disabled = false;
        button.removeAttribute('aria-busy');
      });
  }

  ui.claimButton.addEventListener('click', function () {
    act(ui.claimButton, function (current) {
      return api('POST', conversationPath(current.id, 'claim')).then(function (response) {
        if (!currentConversation(current.generation)) return;
        if (response.ok) {
          current.claimedByMe = true;
          setText(ui.conversationMessage, 'You have claimed this conversation. You can now reply to the pupil.');
          return refreshConversation().then(function () {
            if (!ui.messageFieldset.disabled) ui.messageText.focus();
          });
        }
        if (response.status === 409) {
          var data = response.data || {};
          var who = data.claimedBy || (data.error && data.error.claimedBy) || 'another adviser';
          setText(ui.claimStatus, 'Claimed by ' + who + '.');
          setHidden(ui.claimButton, true);
          setText(ui.conversationError, 'Claimed by ' + who + ': another adviser is already handling this conversation.');
          ui.conversationHeading.focus();
          return refreshConversation();
        }
        setText(ui.conversationError, errorMessage(response, 'The conversation could not be claimed (error ' + response.status + ').'));
      });
    });
  });

  ui.messageForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = ui.messageText.value.trim();
    if (!text) {
      setText(ui.conversationError, 'Type a message to the pupil first.');
      ui.messageText.focus();
      return;
    }
    act(ui.messageSend, function (current) {
      return api('POST', conversationPath(current.id, 'messages'), { text: text }).then(function (response) {
        if (!currentConversation(current.generation)) return;
        if (response.ok) {
          if (ui.messageText.value.trim() === text) ui.messageText.value = '';
          setText(ui.conversationMessage, 'Message sent to the pupil.');
          ui.transcript.scrollTop = ui.transcript.scrollHeight;
          return refreshConversation().then(function () {
            ui.messageText.focus();
          });
        }
        if (response.status === 409) {
          current.claimedByMe = false;
          setText(ui.conversationError, errorMessage(response, 'Claim this conversation before you reply.'));
          return refreshConversation();
        }
        setText(ui.conversationError, errorMessage(response, 'The message was not sent (error ' + response.status + '). Please try again.'));
      });
    });
  });

  // Ctrl+Enter (or Cmd+Enter) sends; Enter alone makes a new line.
  ui.messageText.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (typeof ui.messageForm.requestSubmit === 'function') ui.messageForm.requestSubmit();
    }
  });

  ui.noteForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = ui.noteText.value.trim();
    if (!text) {
      setText(ui.conversationError, 'Type the note first.');
      ui.noteText.focus();
      return;
    }
    act(ui.noteSave, function (current) {
      return api('POST', conversationPath(current.id, 'notes'), { text: text }).then(function (response) {
        if (!currentConversation(current.generation)) return;
        if (response.ok) {
          if (ui.noteText.value.trim() === text) ui.noteText.value = '';
          setText(ui.conversationMessage, 'Private note saved. The pupil does not see it.');
          return refreshConversation();
        }
        setText(ui.conversationError, errorMessage(response, 'The note was not saved (error ' + response.status + '). Please try again.'));
      });
    });
  });

  ui.closeForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var outcome = ui.closeOutcome.value;
    var note = ui.closeNote.value.trim();
    var body = { outcome: outcome };
    if (note) body.note = note;
    act(ui.closeButton, function (current) {
      return api('POST', conversationPath(current.id, 'close'), body).then(function (response) {
        if (!currentConversation(current.generation)) return;
        if (response.ok) {
          showQueue(true);
          setText(ui.queueMessage, 'Conversation closed (outcome: ' + label(OUTCOME_LABELS, outcome) + '). The pupil has been told and is back with the bot.');
          pollQueue();
          return;
        }
        setText(ui.conversationError, errorMessage(response, 'The conversation was not closed (error ' + response.status + '). Please try again.'));
      });
    });
  });

  ui.back.addEventListener('click', function () {
    var id = state.conversation && state.conversation.id;
    setText(ui.queueMessage, '');
    showQueue(false);
    var button = null;
    Array.prototype.forEach.call(ui.queueBody.rows, function (row) {
      if (row.getAttribute('data-conversation-id') === id) button = row.querySelector('button');
    });
    (button || ui.queueHeading).focus();
    pollQueue();
  });

  // Escape in the conversation view (outside a text box) goes back to the queue.
  ui.conversationView.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var tag = event.target && event.target.tagName;
    if (tag === 'TEXTAREA' || tag === 'INPUT' || tag === 'SELECT') return;
    ui.back.click();
  });

  // ---------------------------------------------------------------- start

  // Restore a session that is still open (the cookie is HttpOnly; only the server can tell).
  showView('loading');
  request('GET', '/api/adviser/session')
    .then(function (response) {
      if (response.ok && response.data && response.data.csrfToken) signedIn({ username: response.data.username, csrfToken: response.data.csrfToken });
      else signedOut('', false);
    })
    .catch(function () {
      signedOut('', false);
      setText(ui.loginError, 'The server could not be reached. Check your connection and reload the page.');
    });
})();
