// Staff console page: listens to the server's change notices (server-sent events,
// GET /console/api/stream: ids only, console/stream.py) and then fetches the queue or the
// open conversation; while the stream is down it polls both every 2 s (and every 30 s as
// a safety net while it is up). Renders everything with textContent (patients' text is never parsed as HTML). Arabic reads right
// to left: transcript lines have dir="auto", names, times and numbers are isolated in
// <bdi> (console/static/bidi.js); each conversation shows its language (en/ar).
// Cards show the patient's name or number, channel, language, last message and waiting
// time (urgent first), and "unanswered check-in" when the day-1 aftercare check-in has had
// no answer for 24 hours; only the member of staff who took a conversation over may reply
// or hand it back; Resolve asks for an outcome (a <dialog>) and the server sends the
// patient the closing message (clinic/handoff/team.py).
// History: resolved conversations, newest first, 20 a page, with a search box; opening
// one shows its transcript read-only. A new urgent card beeps (WebAudio, no sound file)
// and, once the member of staff allowed it, raises a desktop notification naming no
// patient. The urgent reply to a warning sign is shown as an alert (clinic/handoff/alerts.py).
(function () {
  "use strict";
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const csrf = meta("csrf-token");
  const prefix = meta("console-prefix");
  const me = meta("staff-username");
  const POLL_MS = 2000;          // while the live stream is down
  const SAFETY_POLL_MS = 30000;  // while it is up
  const STREAM_RETRY_MS = 15000; // after the server refused or ended the stream
  const $ = (id) => document.getElementById(id);
  let selected = null;      // id of the handoff on screen
  let current = null;       // its last JSON
  let lastTranscriptKey = "";
  const { bdi, fill } = window.ClinicBidi;
  const LANGUAGES = { en: "English", ar: "Arabic" };
  const CHANNELS = { socketio: "Website chat", whatsapp: "WhatsApp", twilio: "WhatsApp (Twilio)", rest: "Try-it page" };
  const channelName = (c) => CHANNELS[c] || c;
  const holder = (h) => (h.assigned_to === me ? "you" : (h.assigned_name || h.assigned_to));

  // the session ended (expiry, sign-out elsewhere): say so and keep the half-typed reply
  // (sessionStorage: this tab only) for after the new login, instead of leaving the page
  const SIGNED_OUT = "Your session has ended: log in again. A reply you were typing is kept in this tab.";
  const DRAFT = "clinic-console-draft";
  let stopped = false;
  function saveDraft() {
    try {
      const text = $("reply").value;
      if (selected !== null && text.trim()) sessionStorage.setItem(DRAFT, JSON.stringify({ id: selected, text }));
      else sessionStorage.removeItem(DRAFT);
    } catch (e) { /* storage off: nothing kept */ }
  }
  function restoreDraft(id) {
    try {
      const draft = JSON.parse(sessionStorage.getItem(DRAFT) || "null");
      if (draft && draft.id === id && !$("reply").value) $("reply").value = draft.text;
    } catch (e) { /* none */ }
  }
  function signedOut() {
    if (stopped) return;
    stopped = true;
    if (source) { source.close(); source = null; }
    saveDraft();
    const box = $("notice");
    box.replaceChildren(SIGNED_OUT.split(":")[0] + ": ");
    const link = el("a", "log in again");
    link.href = prefix + "/login";
    box.append(link, ". A reply you were typing is kept in this tab.");
    box.hidden = false;
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function notice(message) {
    if (stopped) return;
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
    if (response.status === 401) { signedOut(); throw new Error(SIGNED_OUT); }
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) throw new Error(data.error || `The console answered ${response.status}.`);
    return data;
  }

  // -- a new urgent case: a desktop notification (once the member of staff allowed it)
  // and a short beep made with WebAudio (no sound file). The first queue load only
  // notes what is there; later, a card that is urgent and was not before alerts once.
  // The notification names no patient (it may show on a locked screen).
  const urgentSeen = new Set();
  let queueLoaded = false;
  let audio = null;
  function audioContext() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) { try { audio = new Context(); } catch (e) { audio = null; } }
    if (audio && audio.state === "suspended" && audio.resume) audio.resume().catch(() => {});
    return audio;
  }
  // browsers start sound only after the user did something on the page
  ["pointerdown", "keydown"].forEach((type) => document.addEventListener(type, audioContext, { once: true }));
  function beep() {
    const context = audioContext();
    if (!context) return;
    try {
      [0, 0.22].forEach((offset) => {
        const start = context.currentTime + offset;
        const tone = context.createOscillator();
        const gain = context.createGain();
        tone.type = "sine";
        tone.frequency.setValueAtTime(880, start);
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
        tone.connect(gain);
        gain.connect(context.destination);
        tone.start(start);
        tone.stop(start + 0.2);
      });
    } catch (e) { /* no sound: the notification and the card still show */ }
  }
  function alertsButton() {
    const button = $("alerts");
    if (!("Notification" in window)) { button.hidden = true; return; }
    button.hidden = false;
    const permission = window.Notification.permission;
    button.disabled = permission !== "default";
    button.textContent = permission === "granted" ? "Urgent alerts on"
      : permission === "denied" ? "Alerts blocked by this browser" : "Turn on urgent alerts";
  }
  $("alerts").addEventListener("click", async () => {
    audioContext();
    try { await window.Notification.requestPermission(); } catch (e) { /* old browsers: callback form */ }
    alertsButton();
  });
  function alertUrgent(h) {
    beep();
    $("alert-live").textContent = `New urgent conversation (${channelName(h.channel)}).`;
    if (!("Notification" in window) || window.Notification.permission !== "granted") return;
    try {
      const note = new window.Notification("Urgent: a patient reported a warning sign", {
        body: `New urgent conversation (${channelName(h.channel)}). Open the staff console.`,
        tag: `clinic-urgent-${h.id}`,
        requireInteraction: true,
      });
      note.onclick = () => { window.focus(); open(h.id, true); if (note.close) note.close(); };
    } catch (e) { /* e.g. notifications only from a service worker: the beep and the card remain */ }
  }
  function watchUrgent(items) {
    for (const h of items) {
      if (h.priority !== "urgent") { urgentSeen.delete(h.id); continue; }  // a false alarm; urgent again alerts again
      if (urgentSeen.has(h.id)) continue;
      urgentSeen.add(h.id);
      if (queueLoaded) alertUrgent(h);
    }
    queueLoaded = true;
  }

  function renderQueue(items) {
    watchUrgent(items);
    const list = $("queue");
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.id : undefined;
    list.replaceChildren();
    $("queue-count").textContent = items.length ? `(${items.length})` : "";
    $("queue-empty").hidden = items.length > 0;
    for (const h of items) {
      const button = el("button", null, h.priority === "urgent" ? "card urgent" : "card");
      button.type = "button";
      button.dataset.id = h.id;
      if (h.id === selected) { button.classList.add("selected"); button.setAttribute("aria-current", "true"); }
      const top = el("span", null, "tags");
      if (h.priority === "urgent") top.append(el("span", "URGENT", "tag urgent"));
      if (h.status === "active") {
        const tag = el("span", "with ", h.assigned_to === me ? "tag mine" : "tag held");
        tag.append(bdi(holder(h)));
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
      if (h.checkin_unanswered) {  // the aftercare panel's flag (aftercare.js), on the card too
        const tag = el("span", "unanswered check-in", "tag checkin");
        tag.title = "No answer to the day-1 check-in sent over 24 hours ago";
        top.append(tag);
      }
      if (h.false_alarm_by) top.append(el("span", `false alarm (${h.false_alarm_by})`, "tag"));
      else if (h.stood_down) top.append(el("span", "patient says not meant", "tag"));
      const who = el("span", null, "patient-name");
      who.append(bdi(h.name || h.phone || "Patient without a name yet"));
      if (h.name && h.phone) who.append(" · ", bdi(h.phone));
      const last = el("span", null, "last");
      if (h.last_message) { last.textContent = h.last_message; last.dir = "auto"; }
      else last.textContent = "No message yet";
      const conv = el("span", null, "conv muted");
      conv.append(`${channelName(h.channel)} · waiting ${waited(h.waiting_seconds)} · `, bdi(h.conversation_id));
      button.append(top, who, last, conv);
      button.addEventListener("click", () => open(h.id, true));
      const li = el("li");
      li.append(button);
      list.append(li);
      if (focused !== undefined && String(h.id) === focused) button.focus();
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
    const fresh = lastTranscriptKey !== "";
    lastTranscriptKey = key;
    const list = $("transcript");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.replaceChildren();
    for (const m of messages) {
      const li = fill(el("li", null, m.button ? `${m.who} button` : (m.alert ? `${m.who} alert` : m.who)), m.text);
      if (m.alert) li.append(el("small", "urgent reply: the patient sees it as an alert", "alert-label"));
      if (m.button) {
        const small = el("small", "tapped a button: ");
        small.append(bdi(m.payload));
        li.append(small);
      }
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
    const newest = messages[messages.length - 1];
    if (fresh && newest && newest.who === "patient") $("live").textContent = `New message from the patient: ${newest.text}`;
  }

  function renderDetail(data) {
    current = data;
    const h = data.handoff;
    $("detail").hidden = false;
    $("detail-title").replaceChildren("Conversation ", bdi(h.conversation_id));
    const why = h.reason === h.priority ? h.priority : `${h.priority} · ${h.reason.replace("_", " ")}`;
    const since = h.status === "waiting" ? "waiting" : "opened";
    const meta = $("detail-meta");
    meta.replaceChildren(`${why} · ${channelName(h.channel)} · ${h.status}`);
    if (h.outcome) meta.append(` (${h.outcome.replace(/_/g, " ")})`);
    meta.append(` · ${since} ${waited(h.waiting_seconds)}`);
    const held = $("detail-holder");
    if (h.status === "active") {
      held.replaceChildren("Held by ", bdi(holder(h)), h.assigned_to === me ? "" : ": only they can reply or hand back");
    } else if (h.status === "waiting") {
      held.replaceChildren("Nobody has taken this conversation over yet.");
    } else {
      held.replaceChildren("Closed by ", bdi(holder(h)));
    }
    const language = data.conversation && data.conversation.language;
    $("detail-language").textContent = language ? `Language: ${LANGUAGES[language] || language} (${language})` : "";
    $("detail-language").hidden = !language;
    const closed = h.status === "resolved";  // opened from the history: read-only
    $("detail").classList.toggle("read-only", closed);
    $("read-only").hidden = !closed;
    const mine = h.status === "active" && h.assigned_to === me;
    $("take").disabled = h.status !== "waiting";
    $("hand-back").disabled = !mine;
    $("resolve").disabled = !(h.status === "waiting" || mine);
    $("false-alarm").disabled = h.status === "resolved" || h.reason !== "urgent" || Boolean(h.false_alarm_by);
    $("reply").disabled = !mine;
    $("send").disabled = !mine;
    $("canned").disabled = !mine;
    const conversationLanguage = (data.conversation && data.conversation.language) || "en";
    if (conversationLanguage !== cannedLanguage) loadCanned(conversationLanguage);
    $("reply").placeholder = mine ? "Reply to the patient (sent with your first name and role)"
      : "Take over to reply";
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

  // one request at a time per view; a change noticed meanwhile runs it once more after
  function coalesced(load) {
    let running = null;
    let again = false;
    return function run() {
      if (running) { again = true; return running; }
      running = (async () => {
        try {
          do { again = false; await load(); } while (again);
        } finally { running = null; }
      })();
      return running;
    };
  }

  const refreshQueue = coalesced(async () => {
    try {
      renderQueue((await call("GET", "/api/queue")).handoffs);
    } catch (e) { notice(e.message); }
  });

  const refreshDetail = coalesced(async () => {
    if (selected === null) return;
    try { renderDetail(await call("GET", `/api/handoffs/${selected}`)); } catch (e) { notice(e.message); }
  });

  // -- live updates: server-sent events, polling while the stream is down -----------
  let source = null;
  let streamUp = false;
  let lastPoll = Date.now();
  function liveState(state) { document.body.dataset.live = state; }
  function streamDown(retry) {
    streamUp = false;
    liveState("polling");
    if (retry && source) { source.close(); source = null; setTimeout(startStream, STREAM_RETRY_MS); }
  }
  function startStream() {
    if (stopped || source || !("EventSource" in window)) return;
    source = new EventSource(prefix + "/api/stream");
    source.addEventListener("ready", () => {  // (re)connected: catch up on what was missed
      streamUp = true;
      liveState("stream");
      refreshQueue();
      refreshDetail();
    });
    source.addEventListener("queue", () => refreshQueue());
    source.addEventListener("conversation", (event) => {
      let data = {};
      try { data = JSON.parse(event.data); } catch (e) { data = {}; }
      if (data.handoff_id === selected) refreshDetail();
    });
    source.addEventListener("resync", () => { refreshQueue(); refreshDetail(); });
    source.addEventListener("signed-out", () => { refreshQueue(); });  // the 401 shows the notice
    source.addEventListener("bye", () => streamDown(true));  // the server is restarting
    source.onerror = () => {
      // the browser reconnects by itself (retry: 2 s) unless the server refused (401, 429)
      streamDown(source && source.readyState === EventSource.CLOSED);
    };
  }

  // other console scripts (console/static/aftercare.js: photos and treatments) fill the
  // empty #patient-panel next to the transcript when a conversation is opened
  function announceOpened(data) {
    const panel = $("patient-panel");
    panel.replaceChildren();
    document.dispatchEvent(new CustomEvent("clinic:conversation-opened", {
      detail: { conversationId: data.handoff.conversation_id, handoffId: data.handoff.id, panel },
    }));
  }

  async function open(id, reveal) {
    if (selected !== id) $("reply").value = "";
    selected = id;
    lastTranscriptKey = "";
    notice("");
    restoreDraft(id);
    await refreshDetail();
    if (current && current.handoff && current.handoff.id === id) announceOpened(current);
    await refreshQueue();
    if (reveal) {  // on a phone the conversation sits below the queue: bring it into view
      $("detail").scrollIntoView({ block: "start" });
      $("detail-title").focus({ preventScroll: true });
    }
  }

  async function act(path, body) {
    if (selected === null) return;
    notice("");
    try {
      const data = await call("POST", `/api/handoffs/${selected}/${path}`, body);
      if (data.warning) notice(data.warning);
      return true;
    } catch (e) {
      notice(e.message);
      return false;
    } finally {
      await refreshDetail();
      await refreshQueue();
    }
  }

  // -- history of resolved conversations (GET /api/history?q=&page=, 20 a page) -----
  const OUTCOME_NAMES = { handed_back: "Handed back to the assistant", resolved: "Resolved" };
  document.querySelectorAll("#resolve-form input[name=outcome]").forEach((input) => {
    OUTCOME_NAMES[input.value] = input.parentElement.textContent.trim();
  });
  const historyState = { q: "", page: 1, pages: 1 };

  function renderHistory(data) {
    const list = $("history");
    list.replaceChildren();
    Object.assign(historyState, { q: data.q, page: data.page, pages: data.pages });
    $("history-count").textContent = `(${data.total})`;
    if (data.q && data.searched_messages === false) {
      notice("The patients' messages could not be searched just now: only numbers, ids, staff and outcomes were.");
    }
    $("history-empty").hidden = data.handoffs.length > 0;
    $("history-page").textContent = `Page ${data.page} of ${data.pages}`;
    $("history-prev").disabled = data.page <= 1;
    $("history-next").disabled = data.page >= data.pages;
    for (const h of data.handoffs) {
      const button = el("button", null, "card closed");
      button.type = "button";
      button.dataset.id = h.id;
      if (h.id === selected) { button.classList.add("selected"); button.setAttribute("aria-current", "true"); }
      const top = el("span", null, "tags");
      top.append(el("span", OUTCOME_NAMES[h.outcome] || h.outcome || "resolved", "tag outcome"));
      if (h.reason === "urgent" || h.false_alarm_by) top.append(el("span", "was urgent", "tag"));
      if (h.language) {
        const tag = el("span", h.language.toUpperCase(), "tag lang");
        tag.title = `Conversation in ${LANGUAGES[h.language] || h.language}`;
        top.append(tag);
      }
      const who = el("span", null, "patient-name");
      who.append(bdi(h.name || h.phone || "Patient without a name"));
      if (h.name && h.phone) who.append(" · ", bdi(h.phone));
      const last = el("span", null, "last");
      if (h.last_message) { last.textContent = h.last_message; last.dir = "auto"; }
      else last.textContent = "No message";
      const by = el("span", null, "conv muted");
      by.append(`${channelName(h.channel)} · resolved by `, bdi(h.assigned_to ? holder(h) : "nobody"));
      if (h.resolved_at) by.append(" · ", bdi(new Date(h.resolved_at).toLocaleString()));
      by.append(" · ", bdi(h.conversation_id));
      button.append(top, who, last, by);
      button.addEventListener("click", () => open(h.id, true));
      const li = el("li");
      li.append(button);
      list.append(li);
    }
  }

  async function loadHistory(q, page) {
    const query = new URLSearchParams({ q: q || "", page: String(page || 1) });
    try { renderHistory(await call("GET", `/api/history?${query}`)); } catch (e) { notice(e.message); }
  }

  function showTab(name) {
    const historyShown = name === "history";
    $("queue-panel").hidden = historyShown;
    $("history-panel").hidden = !historyShown;
    $("tab-queue").setAttribute("aria-pressed", String(!historyShown));
    $("tab-history").setAttribute("aria-pressed", String(historyShown));
    if (historyShown) loadHistory(historyState.q, historyState.page);
  }
  $("tab-queue").addEventListener("click", () => showTab("queue"));
  $("tab-history").addEventListener("click", () => showTab("history"));
  $("history-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadHistory($("history-q").value, 1);
  });
  $("history-prev").addEventListener("click", () => loadHistory(historyState.q, historyState.page - 1));
  $("history-next").addEventListener("click", () => loadHistory(historyState.q, historyState.page + 1));

  // -- canned replies (GET /api/canned; admins edit them: POST /api/canned[/{id}[/delete]])
  let canned = [];
  let cannedLanguage = null;
  async function loadCanned(language) {
    cannedLanguage = language || "en";
    try {
      canned = (await call("GET", `/api/canned?language=${encodeURIComponent(cannedLanguage)}`)).replies;
    } catch (e) { notice(e.message); return; }
    const select = $("canned");
    const first = select.options[0];
    select.replaceChildren(first);
    for (const reply of canned) {
      const option = el("option", `${reply.title} (${reply.language.toUpperCase()})`);
      option.value = String(reply.id);
      option.lang = reply.language;
      select.append(option);
    }
    renderCannedList();
  }
  $("canned").addEventListener("change", () => {
    const reply = canned.find((r) => String(r.id) === $("canned").value);
    $("canned").value = "";
    if (!reply || $("reply").disabled) return;
    const box = $("reply");
    box.value = box.value.trim() ? `${box.value.trimEnd()}\n${reply.text}` : reply.text;
    saveDraft();
    box.focus();
  });
  const cannedDialog = $("canned-dialog");
  function cannedError(message) {
    if (!cannedDialog) return;
    $("canned-error").textContent = message || "";
    $("canned-error").hidden = !message;
  }
  function editCanned(reply) {
    $("canned-id").value = reply ? String(reply.id) : "";
    $("canned-name").value = reply ? reply.title : "";
    $("canned-language").value = reply ? reply.language : (cannedLanguage || "en");
    $("canned-text").value = reply ? reply.text : "";
    cannedError("");
    $("canned-name").focus();
  }
  function renderCannedList() {
    if (!cannedDialog) return;
    const list = $("canned-list");
    list.replaceChildren();
    for (const reply of canned) {
      const li = el("li");
      const title = el("span", reply.title, "canned-title");
      title.dir = "auto";
      const edit = el("button", "Edit", "secondary small");
      edit.type = "button";
      edit.setAttribute("aria-label", `Edit ${reply.title}`);
      edit.addEventListener("click", () => editCanned(reply));
      const remove = el("button", "Delete", "secondary small");
      remove.type = "button";
      remove.setAttribute("aria-label", `Delete ${reply.title}`);
      remove.addEventListener("click", async () => {
        if (!window.confirm(`Delete the canned reply "${reply.title}"?`)) return;
        try { await call("POST", `/api/canned/${reply.id}/delete`); } catch (e) { cannedError(e.message); return; }
        await loadCanned(cannedLanguage);
      });
      li.append(title, ` (${reply.language.toUpperCase()}) `, edit, " ", remove);
      list.append(li);
    }
  }
  if (cannedDialog) {
    $("canned-manage").addEventListener("click", () => { editCanned(null); cannedDialog.showModal(); });
    $("canned-close").addEventListener("click", () => cannedDialog.close());
    $("canned-new").addEventListener("click", () => editCanned(null));
    $("canned-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const id = $("canned-id").value;
      const body = { title: $("canned-name").value, language: $("canned-language").value, text: $("canned-text").value };
      try {
        const saved = (await call("POST", id ? `/api/canned/${id}` : "/api/canned", body)).reply;
        await loadCanned(cannedLanguage);
        editCanned(canned.find((r) => r.id === saved.id) || null);
      } catch (e) { cannedError(e.message); }
    });
  }

  const dialog = $("resolve-dialog");
  // keyboard users: a button that did its job is disabled or gone afterwards, which would
  // drop the focus to the top of the page; it moves on to where the work continues instead
  function focusLost() {
    const active = document.activeElement;
    return !active || active === document.body || active.disabled || active.offsetParent === null;
  }
  function focusQueue() {  // the conversation left the queue: its next card, else its title
    if ($("queue-panel").hidden) { $("tab-queue").focus(); return; }
    const card = document.querySelector("#queue button");
    if (card) card.focus();
    else $("queue-title").focus();
  }
  $("take").addEventListener("click", async () => {
    if (await act("take") && !$("reply").disabled) $("reply").focus();  // taken over to reply
  });
  $("hand-back").addEventListener("click", async () => {
    await act("hand-back");
    if (focusLost()) focusQueue();
  });
  $("resolve").addEventListener("click", () => {
    $("resolve-form").reset();
    dialog.showModal();
  });
  $("resolve-cancel").addEventListener("click", () => dialog.close());
  $("resolve-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const choice = $("resolve-form").querySelector("input[name=outcome]:checked");
    if (!choice) return;
    dialog.close();
    act("resolve", { outcome: choice.value }).then(() => { if (focusLost()) focusQueue(); });
  });
  $("false-alarm").addEventListener("click", async () => {
    await act("false-alarm");
    if (focusLost()) $("detail-title").focus();
  });
  $("back-to-queue").addEventListener("click", () => {
    const shown = $("history-panel").hidden ? "queue" : "history";
    const card = document.querySelector(`#${shown} button[data-id="${selected}"]`) || $(`${shown}-title`);
    card.scrollIntoView({ block: "center" });
    if (card.focus) card.focus();
  });
  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = $("reply");
    const text = box.value.trim();
    if (!text) return;
    $("send").disabled = true;
    if (await act("reply", { text })) { box.value = ""; saveDraft(); }
  });
  $("reply").addEventListener("input", saveDraft);
  $("reply").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("reply-form").requestSubmit(); }
  });

  alertsButton();
  refreshQueue().then(() => {  // back after a login with a draft: reopen its conversation
    try {
      const draft = JSON.parse(sessionStorage.getItem(DRAFT) || "null");
      if (draft && typeof draft.id === "number" && selected === null) open(draft.id, false);
    } catch (e) { /* none */ }
  });
  liveState("polling");
  startStream();
  setInterval(() => {
    if (stopped || Date.now() - lastPoll < (streamUp ? SAFETY_POLL_MS : POLL_MS) - 100) return;
    lastPoll = Date.now();
    refreshQueue();
    refreshDetail();
  }, 500);
})();
