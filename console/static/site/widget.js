// Starts the rasa-webchat widget; its settings come from data attributes on #webchat
// (no inline script, so the page's Content-Security-Policy can forbid them): colours,
// title, avatar and how long a stored conversation lasts come from clinic.yml's
// `widget:` block (console/widget_config.py).
// Privacy: the conversation is kept in this browser's localStorage ("chat_session") so a
// reload continues it; it is forgotten after `conversation-hours` without a message
// (default 24 h), and "End chat" in the widget's header deletes it at once.
// A watcher (MutationObserver) then adjusts what the widget renders, changing attributes
// and text nodes (splitText keeps the widget's own nodes in place) and adding one button
// to the header:
// * right to left: every bubble, quick reply and the input get dir="auto" (Arabic reads
//   right to left, English left to right; site.css makes each line of a bubble take its
//   own direction) and phone numbers and times are isolated with the Unicode isolates
//   (window.ClinicBidi, bidi.js);
// * phone numbers in the assistant's bubbles become links: tel: to call, and the clinic's
//   WhatsApp number https://wa.me/<digits>;
// * accessibility: names for the launcher, send and close buttons, the messages are a
//   polite live region (new messages are read out), quick replies are buttons reachable
//   with Tab (Enter or Space chooses), Escape closes the widget; the widget is a labelled
//   region and its title a level-2 heading;
// * staff messages and the clinic's system lines ("Sara from the clinic has joined the
//   chat") arrive with the class rw-staff / rw-system (clinic/handoff/team.py) and are
//   styled apart by site.css.
// * the widget's own words (placeholder, header, "End chat", the buttons' names, link
//   names) are in English or Arabic, Arabic right to left (header and input, dir="rtl").
//   Which: the page's language first (?lang=ar in its address, else <html lang="ar">),
//   then, once the patient has written, the conversation's: the language of the
//   assistant's newest message (the assistant answers in the conversation's language,
//   addons/nlg.py), so writing in Arabic turns the widget Arabic and "English please"
//   turns it back. The choice is on #webchat as data-ui-language.
// * the urgent reply to a warning sign arrives with the class rw-urgent
//   (clinic/handoff/alerts.py, added by addons/channels/socketio.py) and is styled as an
//   alert by site.css; WhatsApp and Twilio get the same text, plain.
(function () {
  "use strict";
  var root = document.getElementById("webchat");
  if (!root || !window.WebChat) {
    return;
  }
  var data = root.dataset;
  var STRINGS = {
    en: {
      placeholder: "Ask about scar treatment…",
      subtitle: data.subtitle || "Virtual assistant",
      endChat: "End chat",
      endChatTitle: "End this chat and delete it from this browser",
      open: "Open the chat with the clinic's assistant",
      close: "Close the chat",
      send: "Send message",
      message: "Your message",
      log: "Conversation",
      region: "Chat with the clinic's virtual assistant",
      call: function (n) { return "Call " + n; },
      whatsapp: function (n) { return "Message " + n + " on WhatsApp"; }
    },
    ar: {
      placeholder: "اسأل عن علاج الندبات…",
      subtitle: data.subtitleAr || "المساعد الافتراضي",
      endChat: "إنهاء المحادثة",
      endChatTitle: "إنهاء هذه المحادثة وحذفها من هذا المتصفح",
      open: "افتح المحادثة مع مساعد العيادة",
      close: "أغلق المحادثة",
      send: "أرسل الرسالة",
      message: "رسالتك",
      log: "المحادثة",
      region: "محادثة مع المساعد الافتراضي للعيادة",
      call: function (n) { return "اتصل على " + n; },
      whatsapp: function (n) { return "راسل " + n + " على واتساب"; }
    }
  };

  // the page's language: ?lang=ar|en in its address, else the page's own <html lang>
  function pageLanguage() {
    var asked = null;
    try { asked = new URLSearchParams(window.location.search).get("lang"); } catch (e) { asked = null; }
    if (asked === "ar" || asked === "en") return asked;
    return (document.documentElement.lang || "").toLowerCase().slice(0, 2) === "ar" ? "ar" : "en";
  }
  var uiLanguage = pageLanguage();
  var ARABIC_LETTER = /[\u0620-\u064A\u0671-\u06D3\u06FA-\u06FF]/g;
  var LATIN_LETTER = /[A-Za-z]/g;
  function scriptOf(text) {
    var arabic = (String(text).match(ARABIC_LETTER) || []).length;
    var latin = (String(text).match(LATIN_LETTER) || []).length;
    if (arabic > latin) return "ar";
    if (latin > arabic) return "en";
    return null;
  }
  // once the patient has written: the language of the assistant's newest message
  function conversationLanguage() {
    if (!document.querySelector(".rw-client")) return null;
    var answers = document.querySelectorAll(".rw-response:not(.rw-system) .rw-message-text");
    for (var i = answers.length - 1; i >= 0; i--) {
      var language = scriptOf(answers[i].textContent);
      if (language) return language;
    }
    return null;
  }
  function words() { return STRINGS[uiLanguage]; }
  var STORAGE_KEY = "chat_session";  // rasa-webchat's own key (params.storage: "local")
  var HOUR_MS = 3600 * 1000;

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // a stored conversation idle for longer than the clinic allows is forgotten before the
  // widget reads it (rasa-webchat writes lastUpdate with every change)
  function forgetExpired() {
    var store = storage();
    var hours = parseFloat(data.conversationHours || "24");
    if (!store || !(hours > 0)) return;
    var raw = store.getItem(STORAGE_KEY);
    if (!raw) return;
    var last = 0;
    try { last = Number(JSON.parse(raw).lastUpdate) || 0; } catch (e) { last = 0; }
    if (!last || Date.now() - last > hours * HOUR_MS) store.removeItem(STORAGE_KEY);
  }

  function endChat() {
    var store = storage();
    if (store) store.removeItem(STORAGE_KEY);
    try { window.sessionStorage.removeItem(STORAGE_KEY); } catch (e) { /* none */ }
    window.location.reload();
  }

  forgetExpired();
  window.WebChat.default({
    selector: "#webchat",
    socketUrl: data.socketUrl,
    socketPath: "/socket.io/",
    initPayload: "/greet",
    customData: { language: uiLanguage },
    title: data.title,
    subtitle: words().subtitle,
    profileAvatar: data.avatar || undefined,
    mainColor: data.mainColour,
    userBackgroundColor: data.mainColour,
    userTextColor: data.patientTextColour,
    assistBackgoundColor: data.assistantColour,  // (sic: the widget's spelling)
    assistTextColor: data.assistantTextColour,
    inputTextFieldHint: words().placeholder,
    params: { storage: "local" },
    customMessageDelay: function () { return 300; },
    hideWhenNotConnected: false,
    disableTooltips: true,  // no preview bubble of an old message while the widget is closed
    showMessageDate: true
  }, null);
  if (data.mainColour) document.documentElement.style.setProperty("--clinic-main", data.mainColour);

  var bidi = window.ClinicBidi;
  if (!window.MutationObserver) {
    return;
  }
  // the bubbles, not the text inside them: dir="auto" looks past elements with a dir of their own
  var AUTO = ".rw-response, .rw-client, .rw-reply, .rw-new-message";
  var LRI = "\u2066";
  var PDI = "\u2069";
  // a phone number: 7 or more digits with spaces, dashes, dots or brackets, optional +
  var PHONE = /\+?[0-9\u0660-\u0669](?:[\s().\-]?[0-9\u0660-\u0669]){6,}/g;

  function digits(text) {
    return String(text || "").replace(/[\u0660-\u0669]/g, function (d) {
      return String(d.charCodeAt(0) - 0x0660);
    }).replace(/\D/g, "");
  }

  function isolateNumbers(element) {
    if (!bidi) return;
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.data.indexOf(LRI) !== -1) continue;  // done already
      var isolated = bidi.isolateText(node.data);
      if (isolated !== node.data) node.data = isolated;
    }
  }

  // the link of a number: the clinic's WhatsApp on WhatsApp, anything else to call
  function linkFor(number) {
    var d = digits(number);
    if (data.whatsapp && d === digits(data.whatsapp)) {
      return { href: "https://wa.me/" + d, label: words().whatsapp(number.replace(/[\u2066\u2069]/g, "")) };
    }
    var plus = /^\s*[\u2066]?\+/.test(number) ? "+" : "";
    return { href: "tel:" + plus + d, label: words().call(number.replace(/[\u2066\u2069]/g, "")) };
  }

  function makeLink(text) {
    var link = linkFor(text);
    var a = document.createElement("a");
    a.href = link.href;
    a.className = "clinic-phone";
    a.dir = "ltr";
    a.setAttribute("aria-label", link.label);
    if (link.href.indexOf("https:") === 0) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
    return a;
  }

  // phone numbers (and the emergency number on its own) in the assistant's bubbles become
  // links; the widget's text node keeps its place and holds the text before the number
  function linkNumbers(element) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentNode.closest || !node.parentNode.closest("a")) nodes.push(node);
    }
    var emergencyDigits = digits(data.emergency);
    var emergency = emergencyDigits ? new RegExp("(^|[^0-9])(" + emergencyDigits + ")(?![0-9])") : null;
    nodes.forEach(function (textNode) {
      var current = textNode;
      for (var guard = 0; guard < 10; guard++) {
        PHONE.lastIndex = 0;
        var match = PHONE.exec(current.data);
        var e = emergency ? emergency.exec(current.data) : null;
        var start, length;
        if (match && (!e || match.index <= e.index + e[1].length)) {
          start = match.index;
          length = match[0].length;
          if (current.data.charAt(start - 1) === LRI) { start -= 1; length += 1; }
          if (current.data.charAt(start + length) === PDI) length += 1;
        } else if (e) {
          start = e.index + e[1].length;
          length = e[2].length;
        } else {
          break;
        }
        var number = current.splitText(start);
        var rest = number.splitText(length);
        var a = makeLink(number.data);
        number.parentNode.replaceChild(a, number);
        a.appendChild(number);
        current = rest;
      }
    });
  }

  function name(selector, label) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getAttribute("aria-label") !== label) nodes[i].setAttribute("aria-label", label);
    }
  }

  function isOpen() {
    var container = document.querySelector(".rw-conversation-container");
    return Boolean(container && container.offsetParent !== null);
  }

  function quickReplies() {
    var replies = document.querySelectorAll(".rw-reply:not(a)");
    for (var i = 0; i < replies.length; i++) {
      var reply = replies[i];
      if (reply.dataset.clinicButton) continue;
      reply.dataset.clinicButton = "1";
      reply.setAttribute("role", "button");
      reply.setAttribute("tabindex", "0");
      reply.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          event.currentTarget.click();
        }
      });
    }
  }

  // "End chat" sits with the header's own buttons (close, full screen), at the right
  function endChatButton() {
    var header = document.querySelector(".rw-conversation-container .rw-header");
    if (!header || header.querySelector(".clinic-end-chat")) return;
    var buttons = header.querySelector(".rw-header-buttons");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "clinic-end-chat";
    button.textContent = words().endChat;
    button.title = words().endChatTitle;
    button.addEventListener("click", endChat);
    if (buttons) buttons.insertBefore(button, buttons.firstChild);
    else header.appendChild(button);
  }

  function setAttribute(node, name, value) {
    if (node && node.getAttribute(name) !== value) node.setAttribute(name, value);
  }

  // the widget's own words and direction in the chosen language
  function applyLanguage() {
    var w = words();
    var dir = uiLanguage === "ar" ? "rtl" : "ltr";
    if (root.dataset.uiLanguage !== uiLanguage) root.dataset.uiLanguage = uiLanguage;
    var container = document.querySelector(".rw-conversation-container");
    if (container) {
      setAttribute(container, "lang", uiLanguage);
      if (container.classList.contains("clinic-rtl") !== (dir === "rtl")) container.classList.toggle("clinic-rtl");
    }
    setAttribute(document.querySelector(".rw-conversation-container .rw-header"), "dir", dir);
    setAttribute(document.querySelector(".rw-conversation-container .rw-sender"), "dir", dir);
    var subtitle = document.querySelector(".rw-conversation-container .rw-header .rw-title + span");
    if (subtitle && subtitle.textContent !== w.subtitle) subtitle.textContent = w.subtitle;
    setAttribute(document.querySelector(".rw-new-message"), "placeholder", w.placeholder);
    var end = document.querySelector(".clinic-end-chat");
    if (end && end.textContent !== w.endChat) { end.textContent = w.endChat; end.title = w.endChatTitle; }
    var links = document.querySelectorAll(".rw-response a.clinic-phone");
    for (var i = 0; i < links.length; i++) {
      var number = links[i].textContent.replace(/[\u2066\u2069]/g, "");
      setAttribute(links[i], "aria-label", links[i].href.indexOf("https:") === 0 ? w.whatsapp(number) : w.call(number));
    }
  }

  // the widget renders into a container of its own (#rasaWebchatPro) at the end of <body>
  function fix() {
    uiLanguage = conversationLanguage() || uiLanguage;
    var autos = document.querySelectorAll(AUTO);
    for (var i = 0; i < autos.length; i++) {
      // the input in Arabic: right to left while empty (its placeholder); each typed line
      // still takes its own direction (site.css: unicode-bidi: plaintext)
      var dir = uiLanguage === "ar" && autos[i].classList.contains("rw-new-message") ? "rtl" : "auto";
      if (autos[i].getAttribute("dir") !== dir) autos[i].setAttribute("dir", dir);
    }
    var texts = document.querySelectorAll(".rw-message-text");
    for (var j = 0; j < texts.length; j++) isolateNumbers(texts[j]);
    var answers = document.querySelectorAll(".rw-response .rw-message-text");
    for (var k = 0; k < answers.length; k++) {
      if (!answers[k].dataset.clinicLinked) {
        answers[k].dataset.clinicLinked = "1";
        linkNumbers(answers[k]);
      }
    }
    var w = words();
    name(".rw-launcher", isOpen() ? w.close : w.open);
    name(".rw-send", w.send);
    name(".rw-close-button", w.close);
    name(".rw-new-message", w.message);
    var log = document.querySelector(".rw-messages-container");
    if (log && log.getAttribute("role") !== "log") {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("tabindex", "0");
    }
    if (log) setAttribute(log, "aria-label", w.log);
    var widget = document.querySelector(".rw-widget-container");
    if (widget && widget.getAttribute("role") !== "region") {
      widget.setAttribute("role", "region");  // a landmark of its own
    }
    if (widget) setAttribute(widget, "aria-label", w.region);
    var title = document.querySelector(".rw-header h4");
    if (title && title.getAttribute("aria-level") !== "2") {
      title.setAttribute("role", "heading");  // the page's h1 > h2 order, not an h4 out of place
      title.setAttribute("aria-level", "2");
    }
    quickReplies();
    endChatButton();
    applyLanguage();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !isOpen()) return;
    var close = document.querySelector(".rw-close-button") || document.querySelector(".rw-launcher");
    if (!close) return;
    close.click();
    window.setTimeout(function () {
      var launcher = document.querySelector(".rw-launcher");
      if (launcher) launcher.focus();
    }, 0);
  });

  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    window.setTimeout(function () { scheduled = false; fix(); }, 0);
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  fix();
})();
