// Jämbot web chat: sends questions and button presses to /web/api and renders the replies.
"use strict";

const log = document.getElementById("log");
const askForm = document.getElementById("ask");
const input = document.getElementById("question");
const user = localStorage.getItem("jambot-user") || (() => {
  const id = "web-" + (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
  localStorage.setItem("jambot-user", id);
  return id;
})();

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}

function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : "#";
}

function inline(text) {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*\w])\*([^*\n]+?)\*(?![*\w])/g, "$1<em>$2</em>")
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (m, label, url) =>
      `<a href="${safeUrl(url.replace(/&amp;/g, "&"))}" target="_blank" rel="noopener">${label}</a>`);
}

// Markdown-ish: headings, bullet lists, quotes and paragraphs; enough for the knowledge base.
function markdown(text) {
  const out = [];
  let list = null;
  const flush = () => { if (list) { out.push("<ul>" + list.join("") + "</ul>"); list = null; } };
  for (const block of text.split(/\n{2,}/)) {
    // Hard-wrapped lines belong to one paragraph, as in Markdown; list items and headings do not.
    const lines = [];
    for (const line of block.split("\n")) {
      const starts = /^\s*([-*+]\s|\d+[.)]\s|#{1,6}\s|>)/.test(line);
      if (lines.length && !starts && !/^#{1,6}\s/.test(lines[lines.length - 1])) lines[lines.length - 1] += " " + line.trim();
      else lines.push(line);
    }
    for (const line of lines) {
      const heading = line.match(/^#{1,6}\s+(.*)$/);
      const bullet = line.match(/^\s*[-*+]\s+(.*)$/);
      if (bullet) { (list = list || []).push("<li>" + inline(bullet[1]) + "</li>"); continue; }
      flush();
      if (heading) out.push("<h3>" + inline(heading[1]) + "</h3>");
      else if (line.startsWith(">")) out.push("<blockquote>" + inline(line.replace(/^>\s?/, "")) + "</blockquote>");
      else if (line.trim()) out.push("<p>" + inline(line) + "</p>");
    }
    flush();
  }
  return out.join("");
}

function addUserMessage(text) {
  const div = document.createElement("div");
  div.className = "msg user";
  div.textContent = text;
  log.appendChild(div);
  div.scrollIntoView({behavior: "smooth", block: "end"});
}

function renderReply(reply) {
  const div = document.createElement("div");
  div.className = "msg bot " + reply.kind;
  div.dataset.kind = reply.kind;
  let html = "";
  if (reply.title) html += "<h2>" + escapeHtml(reply.title) + "</h2>";
  html += markdown(reply.text || "");
  if (reply.sources.length) {
    html += '<div class="sources"><strong>' + escapeHtml(reply.sources_label) + "</strong><ul>" +
      reply.sources.map((s) => `<li><a href="${escapeHtml(safeUrl(s.url))}" target="_blank" rel="noopener">${escapeHtml(s.title)}</a></li>`).join("") +
      "</ul></div>";
  }
  if (reply.footer) html += '<div class="footer">' + inline(reply.footer) + "</div>";
  div.innerHTML = html;
  if (reply.buttons.length) div.appendChild(renderButtons(reply.buttons));
  if (reply.form) div.appendChild(renderForm(reply.form, reply.field_errors || {}));
  if (reply.file) div.appendChild(renderFile(reply.file));
  log.appendChild(div);
  div.scrollIntoView({behavior: "smooth", block: "end"});
}

function renderButtons(buttons) {
  const bar = document.createElement("div");
  bar.className = "buttons";
  for (const b of buttons) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = b.label;
    if (b.style) button.classList.add(b.style);
    button.addEventListener("click", () => {
      addUserMessage(b.label);
      send("/web/api/action", {action: b.action, value: b.value});
    });
    bar.appendChild(button);
  }
  return bar;
}

function renderForm(form, errors) {
  const el = document.createElement("form");
  el.className = "reply-form";
  el.innerHTML = "<h3>" + escapeHtml(form.title) + "</h3>" + (form.intro ? markdown(form.intro) : "");
  for (const f of form.fields) {
    const label = document.createElement("label");
    label.textContent = f.label + (f.required ? " *" : "");
    let control;
    if (f.kind === "select") {
      control = document.createElement("select");
      control.appendChild(new Option("", ""));
      for (const o of f.options) control.appendChild(new Option(o.label, o.value, false, o.value === f.initial));
    } else {
      control = document.createElement(f.kind === "multiline" ? "textarea" : "input");
      control.maxLength = f.max_length;
      control.value = f.initial || "";
      control.placeholder = f.placeholder || "";
    }
    control.name = f.name;
    control.required = f.required;
    label.appendChild(control);
    el.appendChild(label);
    if (errors[f.name]) {
      const err = document.createElement("div");
      err.className = "field-error";
      err.textContent = errors[f.name];
      el.appendChild(err);
    }
  }
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "primary";
  submit.textContent = form.submit_label;
  el.appendChild(submit);
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(el).entries());
    submit.disabled = true;
    send("/web/api/action", {action: form.action, value: form.value, fields});
  });
  return el;
}

function renderFile(file) {
  const a = document.createElement("a");
  a.href = `data:${file.mimetype};base64,${file.base64}`;
  a.download = file.filename;
  a.textContent = "⬇ " + file.filename;
  return a;
}

async function send(path, body) {
  const pending = document.createElement("div");
  pending.className = "msg bot pending";
  pending.setAttribute("aria-label", "…");
  pending.textContent = "…";
  log.appendChild(pending);
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({user, ...body}),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || response.statusText);
    pending.remove();
    data.replies.forEach(renderReply);
  } catch (err) {
    renderReply({kind: "error", text: document.body.dataset.unreachable + " " + err.message, sources: [], buttons: []});
  } finally {
    pending.remove();
  }
}

async function pollInbox() {
  try {
    const response = await fetch("/web/api/inbox?user=" + encodeURIComponent(user));
    if (response.ok) (await response.json()).replies.forEach(renderReply);
  } catch (err) { /* the server restarts now and then; try again on the next tick */ }
}

askForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  addUserMessage(text);
  send("/web/api/message", {text});
});

setInterval(pollInbox, 5000);
send("/web/api/message", {text: "hjälp"});
