// Right-to-left text done properly, shared by the try-it chat, the staff console and the
// clinic page's widget (window.ClinicBidi). Arabic messages read right to left and English
// ones left to right: every message bubble gets dir="auto" (its first strong letter
// decides) and every line of it "unicode-bidi: plaintext" (its own first strong letter),
// so a bilingual message keeps its Arabic line RTL. Phone numbers, times and ranges of
// times are isolated left to right (<bdi dir="ltr">, or the Unicode isolates LRI/PDI in
// text we do not own), so "+971 4 123 4567" or "10:00–20:00" keep their order inside
// Arabic. Everything is built with text nodes: message text is never parsed as HTML.
(function () {
  "use strict";
  // a phone number (7+ digits, spaces, dashes, dots, brackets; an optional +) or a time
  // (10:30, 9.30 pm) or a range of times (10:00–20:00); ASCII and Arabic-Indic digits
  const D = "[0-9\u0660-\u0669\u06F0-\u06F9]";
  const TIME = `${D}{1,2}[:.]${D}{2}(?:\\s?[AaPp]\\.?[Mm]\\.?)?`;
  const PATTERN = new RegExp(
    `(\\+?${D}(?:[\\s().\\-]?${D}){6,}|${TIME}(?:\\s?[-\u2013\u2014]\\s?${TIME})?)`, "g");
  const LRI = "\u2066";
  const PDI = "\u2069";

  // the parts of a text: [{text, ltr}] with ltr true for the pieces to isolate
  function parts(text) {
    const out = [];
    let last = 0;
    PATTERN.lastIndex = 0;
    for (let m = PATTERN.exec(text); m; m = PATTERN.exec(text)) {
      if (m.index > last) out.push({ text: text.slice(last, m.index), ltr: false });
      out.push({ text: m[0], ltr: true });
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push({ text: text.slice(last), ltr: false });
    return out;
  }

  // one line of text as nodes: plain text, with <bdi dir="ltr"> around numbers and times
  function lineNodes(text) {
    return parts(text).map((p) => {
      if (!p.ltr) return document.createTextNode(p.text);
      const bdi = document.createElement("bdi");
      bdi.dir = "ltr";
      bdi.textContent = p.text;
      return bdi;
    });
  }

  // fill ``node`` (a message bubble, dir="auto": its first strong letter decides) with
  // ``text``, one <span class="line"> per line; the stylesheets give .line
  // "unicode-bidi: plaintext", so each line also takes its own direction (a dir attribute
  // on the lines would hide their letters from the bubble's dir="auto")
  function fill(node, text) {
    node.dir = "auto";
    node.replaceChildren();
    String(text).split("\n").forEach((line) => {
      const span = document.createElement("span");
      span.className = "line";
      span.append(...lineNodes(line));
      node.append(span);
    });
    return node;
  }

  // "rtl" when the first letter of ``text`` is Arabic (or Hebrew, Syriac, Thaana...), else "ltr"
  const STRONG = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]|([\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF])/;
  function direction(text) {
    const m = STRONG.exec(String(text));
    return m && m[1] ? "rtl" : "ltr";
  }

  // a value we insert (a name, a time, an id): isolated, its own direction
  function bdi(text, className) {
    const node = document.createElement("bdi");
    node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  // the same isolation in a plain string, for DOM we do not own (the widget's bubbles)
  function isolateText(text) {
    return parts(text).map((p) => (p.ltr ? LRI + p.text + PDI : p.text)).join("");
  }

  window.ClinicBidi = { fill, bdi, isolateText, lineNodes, direction };
})();
