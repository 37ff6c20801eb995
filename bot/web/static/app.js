// Jämbot web chat: sends questions and button presses to /web/api and renders the replies.
"use strict";

const log = document.getElementById("log");
const scroller = document.getElementById("scroller");
const askForm = document.getElementById("ask");
const input = document.getElementById("question");
const demo = document.body.dataset.demo === "1";
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
  div.textContent = text;  // text, never HTML: whatever people type stays inert
  log.appendChild(div);
  scroller.scrollTop = scroller.scrollHeight;
}

// A new answer opens at its start (its title), not at its end; the header and the question
// bar never move, because only the conversation scrolls.
function showStart(element) {
  scroller.scrollTo({top: element.offsetTop - log.offsetTop, behavior: "smooth"});
}

function replyElement(reply) {
  const div = document.createElement("div");
  div.className = "msg bot " + reply.kind;
  div.dataset.kind = reply.kind;
  let html = "";
  if (reply.title) html += "<h2>" + escapeHtml(reply.title) + "</h2>";
  // A form's intro is its reply's text too: say it once, above the form's fields.
  if (!(reply.form && reply.form.intro === reply.text)) html += markdown(reply.text || "");
  if (reply.sources.length) {
    html += '<div class="sources"><strong>' + escapeHtml(reply.sources_label) + "</strong><ul>" +
      reply.sources.map((s) => s.url ? `<li><a href="${escapeHtml(safeUrl(s.url))}" target="_blank" rel="noopener">${escapeHtml(s.title)}</a></li>` : `<li>${escapeHtml(s.title)}</li>`).join("") +
      "</ul></div>";
  }
  if (reply.footer) html += '<div class="footer">' + inline(reply.footer) + "</div>";
  if (reply.confidence_hint) html += '<div class="hint">' + escapeHtml(reply.confidence_hint) + "</div>";
  div.innerHTML = html;
  if (reply.buttons.length) div.appendChild(renderButtons(reply.buttons, reply));
  if (reply.form) div.appendChild(renderForm(reply.form, reply.field_errors || {}));
  if (reply.file) div.appendChild(renderFile(reply.file));
  return div;
}

function renderReply(reply) {
  const div = replyElement(reply);
  log.appendChild(div);
  showStart(div);
  return div;
}

function renderButtons(buttons, reply) {
  const bar = document.createElement("div");
  bar.className = "buttons";
  for (const b of buttons) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = b.label;
    if (b.style) button.classList.add(b.style);
    button.addEventListener("click", () => {
      if (reply && reply.thread) {  // a button on a post in the strategist view
        sendStrategist("/web/api/action", {action: b.action, value: b.value, channel: reply.channel, thread: reply.thread});
        return;
      }
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
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const a = document.createElement("a");
  a.className = "download";
  a.href = URL.createObjectURL(new Blob([bytes], {type: file.mimetype}));
  a.download = file.filename;
  a.textContent = "⬇ " + (file.label || file.filename);
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
    // Several replies at once: show the first one's start, the rest follow below it.
    const shown = data.replies.map((r) => { const d = replyElement(r); log.appendChild(d); return d; });
    if (shown.length) showStart(shown[0]);
  } catch (err) {
    renderReply({kind: "error", text: document.body.dataset.unreachable + " " + err.message, sources: [], buttons: []});
  } finally {
    pending.remove();
  }
  if (demo) pollStrategist();
}

async function pollInbox() {
  try {
    const response = await fetch("/web/api/inbox?user=" + encodeURIComponent(user));
    if (response.ok) (await response.json()).replies.forEach(renderReply);
  } catch (err) { /* the server restarts now and then; try again on the next tick */ }
}

// --- the demo's strategist view: questions passed on to the strategists, answered here ----
const posts = document.getElementById("posts");
const waiting = document.getElementById("waiting");
const chatButton = document.getElementById("show-chat");
const strategistButton = document.getElementById("show-strategist");
const strategistView = document.getElementById("strategist");
const STRATEGIST_CHANNEL = "strateger";
let shownThreads = "";

function showView(strategist) {
  strategistView.hidden = !strategist;
  log.hidden = strategist;
  askForm.parentElement.hidden = strategist;
  chatButton.setAttribute("aria-pressed", String(!strategist));
  strategistButton.setAttribute("aria-pressed", String(strategist));
  if (strategist) pollStrategist(); else { scroller.scrollTop = scroller.scrollHeight; input.focus(); }
}

function renderPost(post) {
  const div = replyElement(post);
  div.classList.add("post");
  div.dataset.thread = post.thread;
  const form = document.createElement("form");
  const label = document.createElement("label");
  label.textContent = document.body.dataset.answerLabel;
  const text = document.createElement("textarea");
  text.name = "answer";
  text.required = true;
  text.rows = 3;
  label.appendChild(text);
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "primary";
  submit.textContent = document.body.dataset.answerSend;
  form.append(label, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit.disabled = true;
    sendStrategist("/web/api/message", {text: text.value, channel: post.channel, thread: post.thread});
  });
  div.insertBefore(form, div.querySelector(".buttons"));
  return div;
}

async function pollStrategist() {
  try {
    const response = await fetch(`/web/api/inbox?user=${encodeURIComponent(user)}&channel=${STRATEGIST_CHANNEL}`);
    if (!response.ok) return;
    const replies = (await response.json()).replies;
    waiting.hidden = !replies.length;
    waiting.textContent = String(replies.length);
    const threads = replies.map((r) => r.thread).join(",");
    if (threads === shownThreads) return;  // unchanged: keep what the strategist is typing
    shownThreads = threads;
    posts.replaceChildren(...(replies.length ? replies.map(renderPost) : [Object.assign(document.createElement("p"), {textContent: document.body.dataset.empty})]));
  } catch (err) { /* try again on the next tick */ }
}

async function sendStrategist(path, body) {
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({user, ...body}),
    });
    const data = await response.json();
    const notes = response.ok ? data.replies : [{kind: "error", text: data.error, sources: [], buttons: []}];
    for (const note of notes) strategistView.insertBefore(replyElement(note), posts);
  } catch (err) { /* the next poll shows the post again */ }
  shownThreads = "";
  await pollStrategist();
  await pollInbox();  // the answer reaches the asker: in this demo, the chat next door
}

if (demo) {
  chatButton.addEventListener("click", () => showView(false));
  strategistButton.addEventListener("click", () => showView(true));
  setInterval(pollStrategist, 3000);
}

askForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  addUserMessage(text);
  send("/web/api/message", {text});
});

setInterval(pollInbox, 3000);
send("/web/api/message", {text: "hjälp"});
