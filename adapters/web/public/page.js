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
      if (!response.ok) throw new Error('token request failed: ' + response.status);
      return response.json();
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
    .catch(function () {
      show('Sorry, the chat could not start. Please reload the page. If you need to talk to someone now, call Childline free on 0800 1111.');
    });
})();
