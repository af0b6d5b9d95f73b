// Chat box for the micro-credential adviser: sends text, draws replies and credential cards.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const send = document.getElementById("send");
  const status = document.getElementById("status");

  function newSender() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  let sender = sessionStorage.getItem("advisor-sender");
  if (!sender) { sender = newSender(); sessionStorage.setItem("advisor-sender", sender); }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;  // never innerHTML: replies may echo user text
    return node;
  }
  function addMessage(kind, text) {
    const li = el("li", "msg " + kind, text);
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
    return li;
  }
  function money(price) {
    if (!price) return "price not stated";
    if (price.amount === 0) return "free";
    const fmt = new Intl.NumberFormat("en", { style: "currency", currency: price.currency, maximumFractionDigits: 0 });
    return fmt.format(price.amount) + (price.basis === "per_month" ? " a month" : "");
  }
  function list(items, cls, label) {
    const wrap = el("div", cls);
    if (!items || !items.length) return wrap;
    wrap.appendChild(el("strong", null, label));
    const ul = el("ul");
    items.forEach((t) => ul.appendChild(el("li", null, t)));
    wrap.appendChild(ul);
    return wrap;
  }
  // Only web links are drawn as links: a "javascript:" or "data:" address would run in the page.
  function webLink(url) {
    try {
      const u = new URL(String(url));
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }
  function addCards(payload) {
    const li = el("li", "msg bot");
    if (payload.intro) li.appendChild(el("p", "intro", payload.intro));
    const ol = el("ol", "cards");
    ol.setAttribute("aria-label", "Recommended credentials");
    payload.items.forEach((item) => {
      const card = el("li", "card");
      card.dataset.id = item.id;
      const h = el("h2");
      h.appendChild(el("span", "num", (payload.items.indexOf(item) + 1) + ". "));
      const link = webLink(item.url);
      const a = el(link ? "a" : "span", null, item.title);
      if (link) { a.href = link; a.target = "_blank"; a.rel = "noopener noreferrer"; }
      h.appendChild(a);
      card.appendChild(h);
      const facts = [item.provider, money(item.price)];
      if (item.free_to_audit) facts.push("free to audit");
      if (item.duration_weeks) facts.push(item.duration_weeks + " weeks");
      if (item.hours_per_week) facts.push(item.hours_per_week + " h/week");
      if (item.credit) facts.push(item.credit.value + " " + item.credit.system + (item.credit.awarded ? " credit" : " credit (not awarded)"));
      card.appendChild(el("p", "facts", facts.join(" · ")));
      const broken = item.breaks && item.breaks.length;
      const unchecked = item.unknown && item.unknown.length;
      card.appendChild(list(item.break_reasons, "breaks", "Does not meet what you said:"));
      card.appendChild(list(item.unknown_reasons, "unknown", "Could not check against what you said:"));
      card.appendChild(list(item.fit, "fit", broken ? "What does fit:" : unchecked ? "What is known:" : "Why it fits:"));
      card.appendChild(list(item.caveats, "caveats", "Caveats:"));
      card.appendChild(el("p", "checked", "Facts last checked " + item.last_checked));
      ol.appendChild(card);
    });
    li.appendChild(ol);
    if (payload.hint) li.appendChild(el("p", "hint", payload.hint));
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  // Suggested answers (a currency, a direction to explore, the likeliest meanings): a click sends the payload.
  function addButtons(li, buttons) {
    const group = el("div", "choices");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Suggested answers");
    buttons.forEach((b) => {
      const btn = el("button", "choice", b.title);
      btn.type = "button";
      btn.addEventListener("click", () => {
        group.querySelectorAll("button").forEach((x) => { x.disabled = true; });
        addMessage("user", b.title);
        sendMessage(b.payload, true);
      });
      group.appendChild(btn);
    });
    li.appendChild(group);
  }

  async function sendMessage(text, silent) {
    if (!silent) addMessage("user", text);
    send.disabled = true;
    status.textContent = "The adviser is thinking…";
    try {
      const resp = await fetch("/api/message", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: text }),
      });
      const data = await resp.json().catch(() => ({}));
      if (!resp.ok) {
        addMessage("error", data.error || "Something went wrong; please try again.");
        if (resp.status >= 500 && !silent) input.value = text;  // not answered: the message is kept to send again
        return;
      }
      const replies = data.replies || [];
      replies.forEach((r, i) => {
        const next = replies[i + 1];
        const isList = (x) => x && x.custom && x.custom.type === "credential_list";
        // A recommendation arrives as plain text followed by the same list as a payload:
        // the page draws the payload as cards and leaves out the plain-text copy.
        if (isList(r)) addCards(r.custom);
        else if (r.text && !isList(next)) {
          const li = addMessage("bot", r.text);
          if (r.buttons && r.buttons.length) addButtons(li, r.buttons);
        }
      });
    } catch (e) {
      addMessage("error", "The adviser is not reachable right now; your message was not lost, try sending it again.");
      input.value = text;
    } finally {
      send.disabled = false;
      status.textContent = "";
      input.focus();
    }
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    sendMessage(text);
  });
  sendMessage("/greet", true);
})();
