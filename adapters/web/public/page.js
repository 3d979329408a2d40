// Gets a Direct Line token from this server (never tokens/generate from the browser) and
// starts the official Web Chat client against the server's own Direct Line endpoint.
(function () {
  'use strict';
  var status = document.getElementById('status');

  function show(message) {
    status.textContent = message;
  }

  // A school's pupils chat at /s/<school-id>; the server keeps the conversation with that school.
  var match = /^\/s\/([a-z0-9-]{1,40})\/?$/.exec(window.location.pathname);
  var request = match ? { school: match[1] } : {};

  fetch('/api/webchat/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) })
    .then(function (response) {
      if (response.ok) return response.json();
      // When the service is down the server sends the safe notice (with the contacts) to show.
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          var failure = new Error('token request failed: ' + response.status);
          failure.notice = body && typeof body.notice === 'string' ? body.notice : '';
          throw failure;
        });
    })
    .then(function (session) {
      var schoolName = document.getElementById('school-name');
      if (match && session.school && session.school.name && schoolName) {
        schoolName.textContent = session.school.name;
        schoolName.hidden = false;
      }
      var directLine = window.WebChat.createDirectLine({
        token: session.token,
        domain: window.location.origin + '/v3/directline',
      });
      window.WebChat.renderWebChat(
        {
          directLine: directLine,
          userID: session.userId,
          locale: 'en-GB',
          styleOptions: { hideUploadButton: true, bubbleBorderRadius: 8, sendBoxButtonColor: '#1d4f91' },
        },
        document.getElementById('webchat'),
      );
      var input = document.querySelector('[data-id="webchat-sendbox-input"]');
      if (input) input.focus();
    })
    .catch(function (error) {
      if (error && error.notice) return show(error.notice);
      show('Sorry, the chat could not start. Please reload the page. If you need to talk to someone now, call Childline free on 0800 1111.');
    });
})();
