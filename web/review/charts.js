// The review app's charts: figures from /charts/data, drawn with Chart.js, each with its table beside it.
(function () {
  "use strict";
  var COLOURS = ["#0b5394", "#b45f06", "#38761d", "#741b47", "#45818e", "#7f6000"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function table(caption, head, rows) {
    var thead = el("thead", {}, [el("tr", {}, head.map(function (h) { return el("th", { scope: "col", text: h }); }))]);
    var tbody = el("tbody", {}, rows.map(function (r) {
      return el("tr", {}, r.map(function (c, i) { return el(i ? "td" : "th", i ? { text: String(c) } : { scope: "row", text: String(c) }); }));
    }));
    return el("table", {}, [el("caption", { text: caption }), thead, tbody]);
  }

  function section(id, title, note, tableNode, draw) {
    var parts = [el("h2", { id: id, text: title }), el("p", { class: "meta", text: note })];
    var canvas = null;
    if (tableNode) {  // no figures to show: no empty chart either
      canvas = el("canvas", { role: "img", "aria-label": title + ". The same figures are in the table below." });
      var scroller = el("div", { class: "figures", tabindex: "0", role: "region", "aria-label": title + ": the figures" }, [tableNode]);
      parts.push(el("div", { class: "pair" }, [el("div", { class: "canvas" }, [canvas]), scroller]));
    }
    document.getElementById("charts").appendChild(el("section", { class: "chart", "aria-labelledby": id }, parts));
    if (canvas && window.Chart) draw(canvas);
  }

  function bar(canvas, labels, values, label, horizontal, percent) {
    // the value axis says what it counts; counts have whole-number steps, shares are in per cent
    var valueAxis = { beginAtZero: true, title: { display: true, text: label },
      ticks: percent ? { callback: function (v) { return v + " %"; } } : { precision: 0 } };
    var scales = horizontal ? { x: valueAxis, y: {} } : { x: {}, y: valueAxis };
    if (percent) valueAxis.suggestedMax = 100;
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: label, data: values, backgroundColor: COLOURS[0] }] },
      options: { indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false } }, scales: scales },
    });
  }

  function hiddenNote(hidden, smallest) {
    return hidden ? hidden + " conversations are in groups smaller than " + smallest + " and are not shown." : "";
  }

  function groups(id, title, data, smallest, what) {
    if (!data.labels.length) {
      section(id, title, "No group is large enough to show yet. " + hiddenNote(data.hidden, smallest), null, null);
      return;
    }
    var rows = data.labels.map(function (l, i) { return [l, data.values[i]]; });
    section(id, title, hiddenNote(data.hidden, smallest), table(title, [what, "Conversations"], rows), function (c) {
      bar(c, data.labels, data.values, "Conversations", data.labels.length > 6);
    });
  }

  function draw(d) {
    var s = d.smallest_group;
    var days = d.per_day;
    var channels = Object.keys(days.series);
    var rows = days.labels.map(function (day, i) {
      return [day].concat(channels.map(function (c) { var v = days.series[c][i]; return v === null ? "fewer than " + s : v; }));
    });
    section("c-days", "Conversations per day and channel", hiddenNote(days.hidden, s),
      table("Conversations per day and channel", ["Day"].concat(channels), rows), function (canvas) {
        new window.Chart(canvas, {
          type: "bar",
          data: { labels: days.labels, datasets: channels.map(function (c, i) {
            return { label: c, data: days.series[c], backgroundColor: COLOURS[i % COLOURS.length] };
          }) },
          options: { maintainAspectRatio: false, animation: false, scales: { x: { stacked: true },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Conversations" } } } },
        });
      });
    var r = d.rates;
    if (!r.labels.length) {
      section("c-rates", "How conversations went", "Shown from " + s + " conversations on.", null, null);
    } else section("c-rates", "How conversations went (share of " + r.total + " conversations)",
      "A conversation counts once in each group it belongs to." + (r.hidden.length ? " Not shown (fewer than " + s + "): " + r.hidden.join(", ") + "." : ""),
      table("How conversations went", ["What happened", "Share", "Conversations"], r.labels.map(function (l, i) { return [l, r.values[i] + " %", r.counts[i]]; })),
      function (c) { bar(c, r.labels, r.values, "% of conversations", false, true); });
    groups("c-aims", "Career aims asked about", d.aims, s, "Career aim");
    groups("c-budgets", "Budgets people have", d.budgets, s, "Budget");
    groups("c-weeks", "Weeks people have", d.weeks, s, "Weeks");
    groups("c-hours", "Hours a week people have", d.hours, s, "Hours a week");
    groups("c-recommended", "Credentials recommended most (shown as fitting)", d.recommended, s, "Credential");
  }

  function start() {
    var holder = document.getElementById("charts");
    var status = document.getElementById("loading");
    fetch(holder.getAttribute("data-source"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (resp) { if (!resp.ok) throw new Error("The figures could not be loaded (" + resp.status + ")."); return resp.json(); })
      .then(function (d) {
        status.textContent = d.conversations.toLocaleString("en-GB") + " conversations." + (window.Chart ? "" : " Chart.js is not installed: the tables show the figures.");
        draw(d);
      })
      .catch(function (e) { status.textContent = e.message; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
