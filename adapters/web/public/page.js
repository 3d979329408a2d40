// Gets a Direct Line token from this server (never tokens/generate from the browser) and
// starts the official Web Chat client against the server's own Direct Line endpoint.
(function () {
  'use strict';
  var status = document.getElementById('status');

  function show(message) {
    status.textContent = message;
  }

  fetch('/api/webchat/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
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
