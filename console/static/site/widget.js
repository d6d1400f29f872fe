// Starts the rasa-webchat widget; its settings come from data attributes on #webchat
// (no inline script, so the page's Content-Security-Policy can forbid them).
// Right to left: the widget renders the bubbles itself, so a watcher gives every bubble,
// quick reply and the input dir="auto" (Arabic reads right to left, English left to right;
// site.css makes each line of a bubble take its own direction) and isolates phone numbers
// and times in the bubbles' text with the Unicode isolates (window.ClinicBidi, bidi.js):
// it changes attributes and the text of existing text nodes only, never the widget's
// element structure.
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

  var bidi = window.ClinicBidi;
  if (!bidi || !window.MutationObserver) {
    return;
  }
  // the bubbles, not the text inside them: dir="auto" looks past elements with a dir of their own
  var AUTO = ".rw-response, .rw-client, .rw-reply, .rw-new-message";
  var LRI = "\u2066";

  function isolateNumbers(element) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.data.indexOf(LRI) !== -1) continue;  // done already
      var isolated = bidi.isolateText(node.data);
      if (isolated !== node.data) node.data = isolated;
    }
  }

  // the widget renders into a container of its own (#rasaWebchatPro) at the end of <body>
  function fix() {
    var autos = document.querySelectorAll(AUTO);
    for (var i = 0; i < autos.length; i++) {
      if (autos[i].getAttribute("dir") !== "auto") autos[i].setAttribute("dir", "auto");
    }
    var texts = document.querySelectorAll(".rw-message-text");
    for (var j = 0; j < texts.length; j++) isolateNumbers(texts[j]);
  }

  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    window.setTimeout(function () { scheduled = false; fix(); }, 0);
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  fix();
})();
