// Staff console: the aftercare panel beside the transcript (issue 16 items 4 and 7).
// When console.js opens a conversation it dispatches "clinic:conversation-opened" with
// {conversationId, panel}; this script fills the panel from GET
// /console/api/aftercare/conversations/<id> (console/photos.py): a flag when the day-1
// check-in has had no answer for 24 hours, the treatments, the check-ins and reminders
// with the patient's answers, and the patient's photos (served only to signed-in staff,
// never cached). A photo that failed to arrive shows the staff note and "Fetch again".
// Under the queue, a list of every patient whose day-1 check-in went unanswered.
// Everything is rendered with textContent: captions and notes are never parsed as HTML.
(function () {
  "use strict";
  const meta = (name) => (document.querySelector(`meta[name="${name}"]`) || {}).content || "";
  const prefix = meta("console-prefix");
  const csrf = meta("csrf-token");
  const API = `${prefix}/api/aftercare`;
  const ANSWERS = { all_good: "answered: all good", replied: "the patient replied", stopped: "the patient said stop" };
  const KINDS = { checkin: "check-in", session_reminder: "session reminder", booking_reminder: "appointment reminder" };
  const REASONS = {
    too_large: "too large", unsupported_type: "not a JPEG, PNG or WebP photo", graph_refused: "WhatsApp refused",
    graph_unavailable: "WhatsApp did not answer", not_configured: "WhatsApp not configured",
    checksum_mismatch: "damaged in transit", not_stored: "could not be stored",
  };

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function when(iso) {
    if (!iso) return "";
    const moment = new Date(iso);
    return isNaN(moment) ? iso : moment.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  }

  async function api(method, path) {
    const response = await fetch(API + path, {
      method, credentials: "same-origin", cache: "no-store",
      headers: method === "POST" ? { "X-CSRF-Token": csrf } : {},
    });
    let body = {};
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) throw new Error(body.error || `The aftercare panel could not load (HTTP ${response.status}).`);
    return body;
  }

  // the console's stylesheet belongs to console.css; the few layout rules this panel needs
  // are set through the DOM (allowed by the page's CSP, unlike inline style attributes)
  function compact(list) {
    list.style.paddingLeft = "1rem";
    list.style.margin = "0.25rem 0";
    return list;
  }

  function section(panel, title) {
    const box = el("section", null, "aftercare-section");
    box.append(el("h3", title));
    panel.append(box);
    return box;
  }

  function messageLine(m) {
    const what = m.kind === "checkin" ? `Day ${m.day} check-in` : (KINDS[m.kind] || m.kind);
    let state;
    if (m.status === "sent") state = `sent ${when(m.sent_at)}, ` + (m.answer ? ANSWERS[m.answer] || m.answer : "no answer yet");
    else if (m.status === "due" || m.status === "claimed") state = `planned for ${when(m.due_at)}`;
    else if (m.status === "failed") state = `not sent: ${m.error || "failed"}`;
    else state = m.status;
    const item = el("li", `${what}: ${state}`);
    if (m.status === "sent" && !m.answer && m.kind === "checkin") item.className = "aftercare-unanswered";
    return item;
  }

  function photoItem(p, refresh) {
    const item = el("li", null, "aftercare-photo");
    item.dataset.photoId = String(p.id);
    const head = el("p", `Photo, ${when(p.received_at)}`, "muted");
    if (p.urgent) {
      const badge = el("strong", "Warning sign in the text · ", "aftercare-urgent");
      badge.style.color = "#8a1c1c";
      head.prepend(badge);
    }
    item.append(head);
    if (p.status === "stored" && p.url) {
      const link = el("a");
      link.href = p.url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      const img = el("img");
      img.src = p.url;
      img.alt = p.caption ? `Photo sent by the patient: ${p.caption}` : "Photo sent by the patient";
      img.width = 240;
      img.style.maxWidth = "100%";
      img.style.height = "auto";
      img.loading = "lazy";
      link.append(img);
      item.append(link);
    } else {
      const why = REASONS[p.reason] || p.status;
      item.append(el("p", `Not received (${why}). ${p.note || ""}`.trim(), "aftercare-note"));
      if (p.status === "failed") {
        const again = el("button", "Fetch again", "secondary small");
        again.type = "button";
        again.addEventListener("click", async () => {
          again.disabled = true;
          try { await api("POST", `/photos/${p.id}/retry`); } catch (e) { item.append(el("p", e.message, "aftercare-note")); }
          refresh();
        });
        item.append(again);
      }
    }
    if (p.caption) {
      const caption = el("p", p.caption, "aftercare-caption");
      caption.dir = "auto";
      item.append(caption);
    }
    return item;
  }

  function render(panel, data, refresh) {
    panel.replaceChildren();
    panel.style.overflowWrap = "anywhere";
    const head = el("div", null, "aftercare-head");
    head.append(el("h2", "Aftercare"));
    const reload = el("button", "Refresh", "secondary small");
    reload.type = "button";
    reload.addEventListener("click", refresh);
    head.append(reload);
    panel.append(head);
    if (data.unanswered_day1) {
      const flag = el("p", "No answer to the day-1 check-in (sent over 24 hours ago).", "aftercare-flag");
      flag.setAttribute("role", "status");
      flag.style.fontWeight = "bold";
      flag.style.color = "#8a1c1c";
      panel.append(flag);
    }
    const treatments = section(panel, "Treatments");
    if (!data.treatments.length) treatments.append(el("p", "No treatment recorded.", "muted"));
    else {
      const list = compact(el("ul"));
      for (const t of data.treatments) list.append(el("li", `${t.treated_on} · ${t.area} · ${t.practitioner}`));
      treatments.append(list);
    }
    const messages = section(panel, "Check-ins");
    const optin = { true: "Opted in to check-ins.", false: "Opted out of check-ins.", null: "Not asked about check-ins." };
    messages.append(el("p", optin[String(data.opted_in)], "muted"));
    if (data.messages.length) {
      const list = compact(el("ul"));
      const oldestFirst = data.messages.slice().sort((a, b) => (a.due_at || "").localeCompare(b.due_at || ""));
      for (const m of oldestFirst) list.append(messageLine(m));
      messages.append(list);
    }
    const photos = section(panel, "Photos");
    if (!data.photos.length) photos.append(el("p", "No photos.", "muted"));
    else {
      const list = compact(el("ul", null, "aftercare-photos"));
      list.style.listStyle = "none";
      list.style.paddingLeft = "0";
      for (const p of data.photos.slice().reverse()) list.append(photoItem(p, refresh));  // newest first
      photos.append(list);
    }
  }

  async function fill(panel, conversationId) {
    panel.dataset.aftercareFor = conversationId;
    try {
      const data = await api("GET", `/conversations/${encodeURIComponent(conversationId)}`);
      if (panel.dataset.aftercareFor !== conversationId) return;  // another conversation was opened meanwhile
      render(panel, data, () => fill(panel, conversationId));
    } catch (e) {
      if (panel.dataset.aftercareFor !== conversationId) return;
      panel.replaceChildren(el("p", e.message, "aftercare-note"));
    }
  }

  // beside the queue: every patient whose day-1 check-in has had no answer for 24 hours,
  // whether or not a conversation is open in the queue (GET /api/aftercare/unanswered)
  const UNANSWERED_POLL_MS = 60000;
  function unansweredBox() {
    let box = document.getElementById("aftercare-unanswered");
    if (box) return box;
    const side = document.querySelector(".side");
    if (!side) return null;
    box = el("section", null, "queue aftercare-unanswered");
    box.id = "aftercare-unanswered";
    box.setAttribute("aria-labelledby", "aftercare-unanswered-title");
    const title = el("h2", "No answer to the day-1 check-in");
    title.id = "aftercare-unanswered-title";
    box.append(title, compact(el("ul")));
    box.hidden = true;
    side.append(box);
    return box;
  }
  async function refreshUnanswered() {
    const box = unansweredBox();
    if (!box) return;
    try {
      const rows = (await api("GET", "/unanswered")).unanswered_day1 || [];
      const list = box.querySelector("ul");
      list.replaceChildren(...rows.map((r) => el("li", `${r.conversation_id} · sent ${when(r.sent_at)}`)));
      box.hidden = rows.length === 0;
    } catch (e) { /* signed out or unavailable: console.js says so; keep the last list */ }
  }
  refreshUnanswered();
  setInterval(refreshUnanswered, UNANSWERED_POLL_MS);

  document.addEventListener("clinic:conversation-opened", (e) => {
    const detail = e.detail || {};
    if (!detail.panel || !detail.conversationId) return;
    fill(detail.panel, String(detail.conversationId));
  });
})();
