/*
 * The careers assistant for a university's web page. Embed it with one line:
 *   <script src="https://ASSISTANT-HOST/widget.js" defer></script>
 * Optional attributes on that script tag: data-title, data-accent (a colour for the launcher and
 * the person's messages), data-service (the careers service's name, used in the privacy notice).
 *
 * Everything is drawn inside a shadow root, so the page's styles cannot reach it and its own styles
 * cannot reach the page. Text from the assistant or the person is always inserted as text. It keeps
 * the conversation's id and key in localStorage (no cookies), talks only to the server it came from,
 * and sends each message once: a message typed while offline waits, and is sent with the same id when
 * the connection is back (the server ignores a second copy).
 */
(function () {
  "use strict";
  if (window.customElements && window.customElements.get("careers-assistant")) return;

  var script = document.currentScript;
  var SERVER = new URL(script ? script.src : "/widget.js", document.baseURI).origin;
  var STORE_KEY = "careers-assistant:" + SERVER;
  var SESSION_DAYS = Number("__SESSION_DAYS__") || 30; // filled in by the server (WIDGET_SESSION_DAYS)
  var cfg = {
    title: (script && script.dataset.title) || "Careers assistant",
    accent: (script && script.dataset.accent) || "#0b4f8a",
    service: (script && script.dataset.service) || "the careers service",
  };

  // ---- colour: the accent's text is black or white, whichever is readable (WCAG AA) -------------
  function luminance(hex) {
    var m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
    if (!m) return null;
    var n = parseInt(m[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
      .map(function (c) {
        c /= 255;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
      })
      .reduce(function (sum, c, i) { return sum + c * [0.2126, 0.7152, 0.0722][i]; }, 0);
  }
  var lum = luminance(cfg.accent);
  if (lum === null) { cfg.accent = "#0b4f8a"; lum = luminance(cfg.accent); }
  var onAccent = (1.05 / (lum + 0.05)) >= 4.5 ? "#ffffff" : "#000000";

  var CSS = [
    ":host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;",
    "font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1a1a1a}",
    "*{box-sizing:border-box}",
    "button,input{font:inherit}",
    ":focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 5px #fff}",
    ".launcher{background:var(--accent);color:var(--on-accent);border:2px solid #fff;border-radius:999px;",
    "padding:12px 20px;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3);font-weight:600}",
    ".panel{position:fixed;right:16px;bottom:16px;width:min(400px,calc(100vw - 32px));",
    "height:min(620px,calc(100vh - 32px));display:flex;flex-direction:column;background:#fff;",
    "border:1px solid #6b6b6b;border-radius:10px;box-shadow:0 4px 24px rgba(0,0,0,.3);overflow:hidden}",
    ".panel[hidden]{display:none}",
    "header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:var(--accent);color:var(--on-accent)}",
    "h2{font-size:1.05em;margin:0;flex:1}",
    "header button{background:transparent;color:inherit;border:2px solid currentColor;border-radius:6px;",
    "min-width:44px;min-height:44px;cursor:pointer}",
    ".privacy{padding:6px 12px;border-bottom:1px solid #d0d0d0;font-size:.9em}",
    ".privacy summary{cursor:pointer;padding:4px 0}",
    ".privacy p{margin:6px 0}",
    ".erase{background:#fff;color:#9b1c1c;border:2px solid #9b1c1c;border-radius:6px;padding:6px 10px;cursor:pointer}",
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px}",
    ".msg{max-width:92%;padding:8px 12px;border-radius:10px;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".msg p{margin:0}",
    ".user{align-self:flex-end;background:var(--accent);color:var(--on-accent)}",
    ".bot{align-self:flex-start;background:#f1f3f5;color:#1a1a1a;border:1px solid #d0d0d0}",
    ".pending{opacity:1;border:2px dashed #1a1a1a;background:#fff;color:#1a1a1a}",
    ".note{font-size:.85em;display:block;margin-top:4px}",
    ".sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".cards{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-direction:column;gap:8px;white-space:normal}",
    ".card{background:#fff;border:1px solid #8a8a8a;border-radius:8px;padding:8px 10px}",
    ".card h3{font-size:1em;margin:0 0 2px}",
    ".card dl{margin:4px 0;display:grid;grid-template-columns:auto 1fr;gap:2px 8px;font-size:.9em}",
    ".card dt{font-weight:600}.card dd{margin:0}",
    ".card .breaks{color:#8a1c1c}",
    ".card a{color:#0b4f8a}",
    ".buttons{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px;white-space:normal}",
    ".buttons button{background:#fff;color:#0b4f8a;border:2px solid #0b4f8a;border-radius:999px;",
    "padding:6px 12px;cursor:pointer;min-height:44px}",
    ".status{min-height:1.5em;margin:0;padding:2px 12px;font-size:.9em;color:#1a1a1a}",
    ".status.offline{background:#fff4ce;color:#3d2e00}",
    "form{display:flex;gap:6px;padding:10px 12px;border-top:1px solid #d0d0d0}",
    "form input{flex:1;min-width:0;padding:8px;border:2px solid #6b6b6b;border-radius:6px;color:#1a1a1a;background:#fff}",
    "form button{background:var(--accent);color:var(--on-accent);border:2px solid var(--accent);border-radius:6px;",
    "padding:8px 14px;cursor:pointer;min-height:44px}",
    "@media (prefers-reduced-motion:no-preference){.panel{transition:opacity .15s ease-out}}",
    "@media (max-width:480px){.card dl{grid-template-columns:1fr}:host{right:8px;bottom:8px}.panel{right:0;bottom:0;width:100vw;height:100vh;border-radius:0}}",
  ].join("");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function safeUrl(url) {
    try {
      var u = new URL(url);
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  class CareersAssistant extends HTMLElement {
    constructor() {
      super();
      this.root = this.attachShadow({ mode: "open" });
      this.session = this.loadSession();
      this.seen = {};
      this.lastSeq = 0;
      this.queue = [];
      this.sending = false;
      this.backoff = 1000;
      this.build();
    }

    // ---- the panel -------------------------------------------------------------------------------
    build() {
      var r = this.root;
      var style = el("style");
      style.textContent = ":host{--accent:" + cfg.accent + ";--on-accent:" + onAccent + "}" + CSS;
      r.appendChild(style);
      this.launcher = el("button", { type: "button", className: "launcher", "aria-expanded": "false",
        "aria-controls": "ca-panel", text: "Ask the " + cfg.title.toLowerCase() });
      this.closeButton = el("button", { type: "button", "aria-label": "Close the " + cfg.title.toLowerCase(), text: "✕" });
      this.log = el("div", { className: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
      this.status = el("p", { className: "status", role: "status" });
      this.input = el("input", { id: "ca-input", type: "text", autocomplete: "off", maxlength: "2000",
        placeholder: "Type your message" });
      this.sendButton = el("button", { type: "submit", text: "Send" });
      this.form = el("form", {}, [el("label", { for: "ca-input", className: "sr", text: "Your message" }), this.input, this.sendButton]);
      this.eraseButton = el("button", { type: "button", className: "erase", text: "Delete this conversation" });
      var privacy = el("details", { className: "privacy" }, [
        el("summary", { text: "Privacy: what is kept" }),
        el("p", { text: "Please do not type your name, e-mail address or phone number. Your browser keeps this " +
          "conversation's key for " + SESSION_DAYS + " days so that you can come back to it (no cookies, no tracking). " +
          "The conversation itself is kept on the assistant's server, where staff of " + cfg.service + " may read it " +
          "to improve the assistant, until you delete it here or they remove it." }),
        this.eraseButton,
      ]);
      this.panel = el("div", { id: "ca-panel", className: "panel", role: "dialog", "aria-labelledby": "ca-title", hidden: "" }, [
        el("header", {}, [el("h2", { id: "ca-title", text: cfg.title }), this.closeButton]),
        privacy,
        this.log,
        this.status,
        this.form,
      ]);
      r.appendChild(this.launcher);
      r.appendChild(this.panel);

      var self = this;
      this.launcher.addEventListener("click", function () { self.open(); });
      this.closeButton.addEventListener("click", function () { self.close(); });
      this.panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); self.close(); } });
      this.form.addEventListener("submit", function (e) { e.preventDefault(); self.submit(); });
      this.eraseButton.addEventListener("click", function () { self.erase(); });
      window.addEventListener("online", function () { self.backoff = 1000; self.listenBackoff = 1000; self.pump(); });
      if (this.session) this.refresh();
    }

    // While the panel is open, a history request waits for anything new (another tab of the same
    // conversation, or a person who takes the conversation over) and is asked again as soon as it answers.
    async listen() {
      if (this.listening) return;
      this.listening = true;
      while (!this.panel.hidden && this.session) {
        try {
          this.abort = new AbortController();
          var data = await this.api("GET", this.path("/messages?wait=25&after=" + this.lastSeq), undefined, this.abort.signal);
          this.show(data.messages);
          this.listenBackoff = 1000;
        } catch (e) {
          if (e.name === "AbortError") break;
          if (e.status === 401 || e.status === 403) { this.saveSession(null); break; }
          var wait = this.listenBackoff || 1000;
          this.listenBackoff = Math.min(wait * 2, 30000);
          await new Promise(function (resolve) { setTimeout(resolve, wait); });
        }
      }
      this.listening = false;
    }

    open() {
      this.panel.hidden = false;
      this.launcher.hidden = true;
      this.launcher.setAttribute("aria-expanded", "true");
      this.input.focus();
      this.scrollDown();
      this.listen();
    }

    close() {
      if (this.abort) this.abort.abort();
      this.panel.hidden = true;
      this.launcher.hidden = false;
      this.launcher.setAttribute("aria-expanded", "false");
      this.launcher.focus();
    }

    setStatus(text, offline) {
      this.status.textContent = text || "";
      this.status.classList.toggle("offline", !!offline);
    }

    scrollDown() { this.log.scrollTop = this.log.scrollHeight; }

    // ---- the session -----------------------------------------------------------------------------
    loadSession() {
      try {
        var s = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
        return s && s.expires * 1000 > Date.now() ? s : null;
      } catch (e) {
        return null;
      }
    }

    saveSession(s) {
      this.session = s;
      try {
        if (s) localStorage.setItem(STORE_KEY, JSON.stringify(s));
        else localStorage.removeItem(STORE_KEY);
      } catch (e) { /* private browsing: the conversation lasts as long as the page */ }
    }

    async api(method, path, body, signal) {
      var headers = { "Content-Type": "application/json" };
      if (this.session) headers.Authorization = "Bearer " + this.session.token;
      var resp = await fetch(SERVER + path, { method: method, headers: headers, mode: "cors", credentials: "omit",
        body: body === undefined ? undefined : JSON.stringify(body), signal: signal });
      var data = {};
      try { data = await resp.json(); } catch (e) { /* an empty answer */ }
      if (!resp.ok) {
        var err = new Error(data.error || "The assistant could not answer (" + resp.status + ").");
        err.status = resp.status;
        throw err;
      }
      return data;
    }

    async ensureSession() {
      if (this.session) return;
      var s = await this.api("POST", "/widget/conversations", {});
      this.saveSession({ conversation: s.conversation, token: s.token, expires: s.expires });
      this.listen();
    }

    path(suffix) { return "/widget/conversations/" + encodeURIComponent(this.session.conversation) + suffix; }

    async refresh() {
      try {
        var data = await this.api("GET", this.path("/messages?after=" + this.lastSeq));
        this.show(data.messages);
        this.setStatus("");
      } catch (e) {
        if (e.status === 401 || e.status === 403) { this.saveSession(null); return; }
        this.setStatus("You are offline. The conversation will come back when the connection does.", true);
        var self = this;
        setTimeout(function () { self.refresh(); }, this.nextBackoff());
      }
    }

    nextBackoff() {
      var wait = this.backoff;
      this.backoff = Math.min(this.backoff * 2, 30000);
      return wait;
    }

    // ---- messages ----------------------------------------------------------------------------------
    submit() {
      var text = this.input.value.trim();
      if (!text) { this.setStatus("Type a message first."); return; }
      this.input.value = "";
      this.enqueue(text, text);
    }

    enqueue(text, shown) {
      var bubble = el("div", { className: "msg user pending" }, [el("p", { text: shown }),
        el("span", { className: "note", text: "Sending…" })]);
      this.log.appendChild(bubble);
      this.scrollDown();
      this.queue.push({ id: newId(), text: text, shown: shown, bubble: bubble });
      this.pump();
    }

    async pump() {
      if (this.sending || !this.queue.length) return;
      this.sending = true;
      var item = this.queue[0];
      try {
        await this.ensureSession();
        this.setStatus("Waiting for the assistant…");
        var data = await this.api("POST", this.path("/messages?after=" + this.lastSeq),
          { id: item.id, text: item.text, shown: item.shown });
        this.queue.shift();
        item.bubble.remove();
        this.backoff = 1000;
        this.setStatus("");
        this.show(data.messages);
      } catch (e) {
        if (e.status && e.status < 500) {
          this.queue.shift();
          item.bubble.querySelector(".note").textContent = "Not sent: " + e.message;
          item.bubble.classList.remove("pending");
          if (e.status === 401 || e.status === 403) this.saveSession(null);
          this.setStatus("Not sent: " + e.message);
        } else {
          var offline = !e.status;
          item.bubble.querySelector(".note").textContent = offline ? "Waiting to send (offline)" : "Waiting to send";
          this.setStatus(offline ? "You are offline. Your message will be sent once, when the connection is back."
            : e.message + " Trying again shortly.", offline);
          var self = this;
          this.sending = false;
          setTimeout(function () { self.pump(); }, this.nextBackoff());
          return;
        }
      }
      this.sending = false;
      this.pump();
    }

    show(messages) {
      var self = this;
      (messages || []).forEach(function (m) {
        if (self.seen[m.seq]) return;
        self.seen[m.seq] = true;
        self.lastSeq = Math.max(self.lastSeq, m.seq);
        self.log.appendChild(m.role === "user" ? self.userMessage(m) : self.botMessage(m));
      });
      this.scrollDown();
    }

    userMessage(m) {
      return el("div", { className: "msg user", "data-seq": String(m.seq) }, [
        el("span", { className: "sr", text: "You said: " }), el("p", { text: m.text })]);
    }

    botMessage(m) {
      var node = el("div", { className: "msg bot", "data-seq": String(m.seq) }, [el("span", { className: "sr", text: "Assistant: " })]);
      var list = m.custom && m.custom.type === "credential_list" ? m.custom : null;
      if (list) {
        node.appendChild(el("p", { text: list.intro }));
        node.appendChild(this.cards(list.items || []));
        if (list.hint) node.appendChild(el("p", { text: list.hint }));
      } else {
        node.appendChild(el("p", { text: m.text }));
      }
      if (m.buttons && m.buttons.length) {
        var self = this;
        var group = el("div", { className: "buttons", role: "group", "aria-label": "Suggested answers" });
        m.buttons.forEach(function (b) {
          var button = el("button", { type: "button", text: b.title });
          button.addEventListener("click", function () { self.enqueue(b.payload || b.title, b.title); self.input.focus(); });
          group.appendChild(button);
        });
        node.appendChild(group);
      }
      return node;
    }

    cards(items) {
      var ol = el("ol", { className: "cards" });
      items.forEach(function (it, i) {
        var rows = [];
        function row(label, value, cls) {
          if (!value) return;
          rows.push(el("dt", { text: label }));
          rows.push(el("dd", cls ? { text: value, className: cls } : { text: value }));
        }
        row("Price", it.price_text);
        var time = [];
        if (it.duration_weeks) time.push(it.duration_weeks + " weeks");
        if (it.hours_per_week) time.push(it.hours_per_week + " h a week");
        if (it.delivery === "online_self_paced" && it.duration_weeks && it.hours_per_week)
          time.push("self-paced, about " + Math.round(it.duration_weeks * it.hours_per_week) + " hours in all");
        row("Time", time.length ? time.join(", ") : "not stated in our data");
        if (it.credit) row("Credit", it.credit.value + " " + it.credit.system + (it.credit.awarded ? " awarded" : " (not awarded)"));
        row("Why it fits", (it.fit || []).join("; "));
        row("What it breaks", (it.break_reasons || []).join("; "), "breaks");
        row("Could not check", (it.unknown_reasons || []).join("; "));
        row("Caveats", (it.caveats || []).join(" "));
        row("Last checked", it.last_checked);
        var head = el("h3", { text: (i + 1) + ". " + it.title });
        var meta = el("p", { text: it.provider + (it.kind ? " · " + it.kind : "") });
        var children = [head, meta, el("dl", {}, rows)];
        var href = safeUrl(it.url || "");
        if (href) children.push(el("a", { href: href, target: "_blank", rel: "noopener noreferrer",
          text: "Source: " + new URL(href).hostname + " (opens in a new tab)" }));
        ol.appendChild(el("li", {}, [el("article", { className: "card", "aria-label": it.title }, children)]));
      });
      return ol;
    }

    async erase() {
      if (!this.session) { this.setStatus("There is no conversation to delete."); return; }
      try {
        await this.api("DELETE", this.path(""));
        this.saveSession(null);
        this.queue = [];
        this.seen = {};
        this.lastSeq = 0;
        while (this.log.firstChild) this.log.removeChild(this.log.firstChild);
        this.setStatus("This conversation has been deleted from our records.");
      } catch (e) {
        this.setStatus("Could not delete the conversation: " + e.message, !e.status);
      }
    }
  }

  customElements.define("careers-assistant", CareersAssistant);
  function mount() { document.body.appendChild(document.createElement("careers-assistant")); }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
