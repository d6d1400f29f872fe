// Try-it chat: posts to /chat and renders replies. Everything is rendered as text
// (textContent), never as HTML. The server makes the conversation id and sends it back
// signed (header X-Chat-Sender); it is kept in this browser's localStorage so a reload
// continues the same conversation. "new" asks for a new conversation. Arabic reads right
// to left: every bubble and button has dir="auto", phone numbers and times are isolated
// (console/static/bidi.js).
(function () {
  "use strict";
  const KEY = "clinic-chat-sender";
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");

  function senderId() {
    return localStorage.getItem(KEY) || "new";
  }

  function add(who, text) {
    const item = document.createElement("li");
    item.className = who;
    window.ClinicBidi.fill(item, text);
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function addButtons(buttons) {
    const item = document.createElement("li");
    item.className = "buttons";
    item.dir = window.ClinicBidi.direction(buttons.length ? buttons[0].title : "");  // Arabic choices: right to left
    for (const b of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.dir = "auto";
      button.addEventListener("click", () => send(b.payload, b.title));
      item.appendChild(button);
    }
    log.appendChild(item);
  }

  async function send(message, shown) {
    add("user", shown === undefined ? message : shown);
    const pending = add("bot pending", "…");
    try {
      const response = await fetch("/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: senderId(), message: message }),
      });
      const issued = response.headers.get("X-Chat-Sender");
      if (issued) localStorage.setItem(KEY, issued);
      const body = await response.json();
      pending.remove();
      if (!response.ok) {
        add("bot error", body.error || "Something went wrong; please try again.");
        return;
      }
      for (const reply of body) {
        if (reply.text) add("bot", reply.text);
        if (reply.buttons && reply.buttons.length) addButtons(reply.buttons);
      }
    } catch (e) {
      pending.remove();
      add("bot error", "The assistant is not reachable; please try again shortly.");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    send(text);
  });
  document.getElementById("restart").addEventListener("click", () => {
    localStorage.removeItem(KEY);
    log.replaceChildren();
    input.focus();
  });
  input.focus();
})();
