// Staff console page: polls the queue and the open conversation every 2 s and renders
// everything with textContent (patients' text is never parsed as HTML). Arabic reads right
// to left: transcript lines have dir="auto", names, times and numbers are isolated in
// <bdi> (console/static/bidi.js); each conversation shows its language (en/ar).
(function () {
  "use strict";
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const csrf = meta("csrf-token");
  const prefix = meta("console-prefix");
  const me = meta("staff-username");
  const POLL_MS = 2000;
  const $ = (id) => document.getElementById(id);
  let selected = null;      // id of the handoff on screen
  let current = null;       // its last JSON
  let lastTranscriptKey = "";
  const { bdi, fill } = window.ClinicBidi;
  const LANGUAGES = { en: "English", ar: "Arabic" };

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function notice(message) {
    const box = $("notice");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function waited(seconds) {
    if (seconds < 60) return "just now";
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    return `${hours} h ${minutes % 60} min`;
  }

  async function call(method, path, body) {
    const options = { method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
    if (method === "POST") {
      options.headers["X-CSRF-Token"] = csrf;
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body || {});
    }
    const response = await fetch(prefix + path, options);
    if (response.status === 401) { window.location.assign(prefix + "/login"); throw new Error("Please log in."); }
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) throw new Error(data.error || `The console answered ${response.status}.`);
    return data;
  }

  function renderQueue(items) {
    const list = $("queue");
    list.replaceChildren();
    $("queue-count").textContent = items.length ? `(${items.length})` : "";
    $("queue-empty").hidden = items.length > 0;
    for (const h of items) {
      const button = el("button", null, h.priority === "urgent" ? "urgent" : "");
      button.type = "button";
      button.dataset.id = h.id;
      if (h.id === selected) button.classList.add("selected");
      const top = el("span");
      if (h.priority === "urgent") top.append(el("span", "URGENT", "tag urgent"));
      if (h.status === "active") {
        const tag = el("span", "active: ", "tag");
        tag.append(bdi(h.assigned_to));
        top.append(tag);
      } else {
        top.append(el("span", "waiting", "tag"));
      }
      if (h.language) {
        const tag = el("span", h.language.toUpperCase(), "tag lang");
        tag.title = `Conversation in ${LANGUAGES[h.language] || h.language}`;
        tag.lang = h.language;
        top.append(tag);
      }
      if (h.reason !== "urgent") top.append(el("span", h.reason.replace("_", " "), "tag"));
      if (h.false_alarm_by) top.append(el("span", `false alarm (${h.false_alarm_by})`, "tag"));
      else if (h.stood_down) top.append(el("span", "patient says not meant", "tag"));
      const conv = el("span", null, "conv");
      conv.append(bdi(h.conversation_id));
      button.append(top, conv, el("span", `${h.channel} · ${waited(h.waiting_seconds)}`, "muted"));
      button.addEventListener("click", () => open(h.id));
      const li = el("li");
      li.append(button);
      list.append(li);
    }
  }

  function renderFacts(conv, appointments) {
    const facts = $("facts");
    facts.replaceChildren();
    const add = (label, value) => {
      if (!value || (Array.isArray(value) && !value.length)) return;
      const dd = el("dd", Array.isArray(value) ? value.join(", ") : value);
      dd.dir = "auto";  // patients' details may be Arabic
      facts.append(el("dt", label), dd);
    };
    add("Last intents", conv.last_intents.length ? [`${conv.last_intents.join(", ")} (newest first)`] : []);
    add("Warning signs", conv.triage);
    add("Appointments", appointments || []);
    add("Booking details", Object.entries(conv.bookings || {}).map(([k, v]) => `${k}: ${v}`));
    add("Slots", Object.entries(conv.slots || {}).map(([k, v]) => `${k}: ${v}`));
  }

  function renderTranscript(messages) {
    const key = messages.length ? `${messages.length}:${messages[messages.length - 1].id}` : "0";
    if (key === lastTranscriptKey) return;
    lastTranscriptKey = key;
    const list = $("transcript");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.replaceChildren();
    for (const m of messages) {
      const li = fill(el("li", null, m.who), m.text);
      if (m.buttons && m.buttons.length) {
        const small = el("small", "buttons: ");
        m.buttons.forEach((title, i) => { if (i) small.append(" | "); small.append(bdi(title)); });
        li.append(small);
      }
      if (m.time && m.who !== "note") {
        const small = el("small", `${m.who} · `);
        small.append(bdi(new Date(m.time * 1000).toLocaleString()));
        li.append(small);
      }
      list.append(li);
    }
    if (atBottom || messages.length < 3) list.scrollTop = list.scrollHeight;
  }

  function renderDetail(data) {
    current = data;
    const h = data.handoff;
    $("detail").hidden = false;
    $("detail-title").replaceChildren("Conversation ", bdi(h.conversation_id));
    const why = h.reason === h.priority ? h.priority : `${h.priority} · ${h.reason.replace("_", " ")}`;
    const since = h.status === "waiting" ? "waiting" : "opened";
    const meta = $("detail-meta");
    meta.replaceChildren(`${why} · ${h.channel} · ${h.status}`);
    if (h.assigned_to) meta.append(", with ", bdi(h.assigned_to));
    meta.append(` · ${since} ${waited(h.waiting_seconds)}`);
    const language = data.conversation && data.conversation.language;
    $("detail-language").textContent = language ? `Language: ${LANGUAGES[language] || language} (${language})` : "";
    $("detail-language").hidden = !language;
    const mine = h.status === "active" && h.assigned_to === me;
    $("take").disabled = h.status !== "waiting";
    $("hand-back").disabled = !mine;
    $("resolve").disabled = h.status === "resolved";
    $("false-alarm").disabled = h.status === "resolved" || h.reason !== "urgent" || Boolean(h.false_alarm_by);
    $("reply").disabled = !mine;
    $("send").disabled = !mine;
    if (data.conversation) {
      renderFacts(data.conversation, data.appointments);
      for (const n of data.outage_notes || []) {
        const dd = el("dd", n.text);
        dd.dir = "auto";
        $("facts").append(el("dt", "Sent during an outage"), dd);
      }
      renderTranscript(data.conversation.messages);
    } else if (data.conversation_error) {
      notice(data.conversation_error);
    }
  }

  async function refreshQueue() {
    try {
      renderQueue((await call("GET", "/api/queue")).handoffs);
    } catch (e) { notice(e.message); }
  }

  async function refreshDetail() {
    if (selected === null) return;
    try { renderDetail(await call("GET", `/api/handoffs/${selected}`)); } catch (e) { notice(e.message); }
  }

  async function open(id) {
    selected = id;
    lastTranscriptKey = "";
    notice("");
    await refreshDetail();
    await refreshQueue();
  }

  async function act(path, body) {
    if (selected === null) return;
    notice("");
    try {
      await call("POST", `/api/handoffs/${selected}/${path}`, body);
      return true;
    } catch (e) {
      notice(e.message);
      return false;
    } finally {
      await refreshDetail();
      await refreshQueue();
    }
  }

  $("take").addEventListener("click", () => act("take"));
  $("hand-back").addEventListener("click", () => act("hand-back"));
  $("resolve").addEventListener("click", () => act("resolve"));
  $("false-alarm").addEventListener("click", () => act("false-alarm"));
  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = $("reply");
    const text = box.value.trim();
    if (!text) return;
    $("send").disabled = true;
    if (await act("reply", { text })) box.value = "";
  });
  $("reply").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("reply-form").requestSubmit(); }
  });

  refreshQueue();
  setInterval(() => { refreshQueue(); refreshDetail(); }, POLL_MS);
})();
