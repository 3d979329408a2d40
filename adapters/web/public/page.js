// The chat page's script. It runs before Web Chat's bundle has arrived: it gets a Direct Line
// token from this server (never tokens/generate from the browser), so the bot's greeting is
// waiting when Web Chat connects. When the bundle has run, Web Chat takes over from the greeting
// the server put in the page. Every word this script shows comes from the page's HTML.
(function () {
  'use strict';
  var welcome = document.getElementById('welcome');
  var status = document.getElementById('status');
  var readAloud = document.getElementById('read-aloud');

  // A school's pupils chat at /s/<school-id>; the server keeps the conversation with that school.
  var match = /^\/s\/([a-z0-9-]{1,40})\/?$/.exec(window.location.pathname);
  var request = match ? { school: match[1] } : {};

  function postJson(url, body) {
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(function (response) {
      if (!response.ok) throw new Error(url + ' answered ' + response.status);
      return response.json();
    });
  }

  // The server starts the conversation with the token (the bot's greeting turn runs at once) and
  // gives the stream's address: with both, Web Chat goes straight to the stream.
  var conversation = postJson('/api/webchat/token', request);

  // Handled when the page has loaded; until then a failure must not count as unhandled.
  conversation.catch(function () {});

  function showFailure() {
    var text = document.getElementById('start-failed');
    status.replaceChildren(text.content.cloneNode(true));
  }

  // ---- Reading the bot's messages aloud, with the browser's own voices, when the pupil asks.
  // Only voices on the device: a network voice would send the conversation to the browser's maker.
  var speech = 'speechSynthesis' in window && typeof window.SpeechSynthesisUtterance === 'function' ? window.speechSynthesis : null;
  var voice = null;
  var speaking = false;

  function localVoice() {
    var voices = speech.getVoices().filter(function (candidate) {
      return candidate.localService;
    });
    var byLanguage = function (pattern) {
      return voices.filter(function (candidate) {
        return pattern.test(candidate.lang);
      })[0];
    };
    return byLanguage(/^en[-_]GB$/i) || byLanguage(/^en\b/i) || null;
  }

  function offerReadAloud() {
    voice = localVoice();
    readAloud.hidden = !voice;
    if (!voice && speaking) setSpeaking(false);
  }

  function setSpeaking(on) {
    speaking = on;
    readAloud.setAttribute('aria-pressed', on ? 'true' : 'false');
    if (!on) speech.cancel();
  }

  function say(activity) {
    var parts = [activity.text || ''];
    var actions = (activity.suggestedActions && activity.suggestedActions.actions) || [];
    if (actions.length) {
      parts.push(
        readAloud.getAttribute('data-choices') +
          ' ' +
          actions
            .map(function (action) {
              return action.title || action.value;
            })
            .join(', '),
      );
    }
    var utterance = new window.SpeechSynthesisUtterance(parts.join('\n'));
    utterance.voice = voice;
    utterance.lang = voice.lang;
    speech.speak(utterance);
  }

  if (speech) {
    offerReadAloud();
    speech.addEventListener('voiceschanged', offerReadAloud);
    readAloud.addEventListener('click', function () {
      setSpeaking(!speaking);
    });
  }

  // ---- Web Chat, once its bundle has run (deferred scripts all run before DOMContentLoaded).
  function fromBot(activity) {
    return activity.type === 'message' && activity.from && activity.from.role === 'bot';
  }

  function onBotMessage(activity) {
    // Web Chat now shows the greeting itself: the server's copy goes, so it is not there twice.
    if (!welcome.hidden) welcome.hidden = true;
    if (speaking && voice) say(activity);
  }

  function start(session) {
    var store = window.WebChat.createStore({}, function () {
      return function (next) {
        return function (action) {
          var result = next(action);
          if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' && fromBot(action.payload.activity)) onBotMessage(action.payload.activity);
          return result;
        };
      };
    });
    window.WebChat.renderWebChat(
      {
        directLine: window.WebChat.createDirectLine({
          token: session.token,
          conversationId: session.conversationId,
          streamUrl: session.streamUrl,
          domain: window.location.origin + '/v3/directline',
        }),
        store: store,
        userID: session.userId,
        locale: 'en-GB',
        styleOptions: {
          hideUploadButton: true,
          bubbleBorderRadius: 8,
          bubbleFromUserBorderRadius: 8,
          sendBoxButtonColor: '#1d4f91',
          // One button a line, its label wrapping: at large text sizes nothing is cut off.
          suggestedActionLayout: 'stacked',
          suggestedActionsStackedLayoutButtonTextWrap: true,
          primaryFont: 'system-ui, sans-serif',
        },
      },
      document.getElementById('webchat'),
    );
    // On a desktop the pupil can type at once; on a phone focusing would open the keyboard over the greeting.
    if (window.matchMedia('(pointer: fine)').matches) {
      var input = document.querySelector('[data-id="webchat-sendbox-input"]');
      if (input) input.focus();
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (!window.WebChat) return showFailure();
    conversation.then(start).catch(showFailure);
  });
})();
