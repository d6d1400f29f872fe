// Starts the rasa-webchat widget; its settings come from data attributes on #webchat
// (no inline script, so the page's Content-Security-Policy can forbid them).
(function () {
  var root = document.getElementById("webchat");
  if (!root || !window.WebChat) {
    return;
  }
  window.WebChat.default({
    selector: "#webchat",
    socketUrl: root.dataset.socketUrl,
    socketPath: "/socket.io/",
    initPayload: "/greet",
    customData: { language: "en" },
    title: root.dataset.title,
    subtitle: "Virtual assistant",
    inputTextFieldHint: "Ask about scar treatment…",
    params: { storage: "local" },
    customMessageDelay: function () { return 300; },
    hideWhenNotConnected: false,
    showMessageDate: false
  }, null);
})();
