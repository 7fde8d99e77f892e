// careerbot's chat page: plain JavaScript, no build step, no other host.
// Every text from the user or the server goes into the page with textContent, never as HTML.
"use strict";

(() => {
  const STARTERS = [
    "What ML jobs are there?",
    "What does an MLOps engineer earn?",
    "Data scientist vs ML engineer?",
    "How do I become an NLP engineer?",
  ];
  const WELCOME = "Hi! I answer questions about machine-learning careers: what a role does, what it pays, " +
    "the skills and tools it needs, and how to get in. Each answer cites its sources.";

  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const send = document.getElementById("send");
  const newChat = document.getElementById("new-chat");

  let state = null;   // the conversation lives here, in the page; the server keeps none
  let busy = false;
  let shownItems = [];   // what the log shows, as data ({user: text} or {answer: object}), to redraw on reload
  const SAVED = "careerbot.conversation";

  // The conversation survives a reload of the page (not the closing of the tab): sessionStorage.
  function save() {
    try {
      sessionStorage.setItem(SAVED, JSON.stringify({ state, items: shownItems }));
    } catch (_) { /* storage full or off: the page still works, without surviving a reload */ }
  }

  function restore() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(SAVED) || "null");
    } catch (_) { saved = null; }
    if (!saved || !Array.isArray(saved.items) || !saved.items.length) return false;
    state = saved.state || null;
    log.replaceChildren();
    shownItems = [];
    for (const item of saved.items) {
      if (item && typeof item.user === "string") addUser(item.user);
      else if (item && item.answer && typeof item.answer === "object") addAnswer(item.answer);
    }
    const last = log.lastElementChild;
    if (last) last.scrollIntoView({ block: "end" });
    return true;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Answers come as typed blocks (see the README): each is drawn as what it is. The text of an
  // answer is never read here; every string goes in with textContent.
  function cite(sources, numbers) {
    const marks = [...new Set(sources || [])].map((id) => numbers.get(id)).filter(Boolean);
    return marks.length ? el("span", "cite", ` [${marks.join(", ")}]`) : null;
  }

  function line(tag, className, text, sources, numbers) {
    const node = el(tag, className, text);
    const mark = cite(sources, numbers);
    if (mark) node.append(mark);
    return node;
  }

  function listBlock(block, numbers) {
    const node = el("div", "block list");
    if (block.title) node.append(el("p", "list-title", block.title));
    const list = el(block.ordered ? "ol" : "ul");
    for (const item of block.items) list.append(line("li", "", item.text, item.sources, numbers));
    node.append(list);
    if (block.note) node.append(el("p", "list-note", block.note));
    return node;
  }

  function tableBlock(block) {
    const wrap = el("div", "block table");
    wrap.tabIndex = 0;   // may scroll sideways on a narrow screen: reachable with the keyboard
    const table = el("table");
    const head = el("tr");
    block.header.forEach((cell, i) => {
      const th = el("th", "", cell);
      th.scope = "col";
      if (i === 0 && !cell) th.setAttribute("aria-label", "");
      head.append(th);
    });
    table.append(el("thead"));
    table.tHead.append(head);
    const body = el("tbody");
    for (const row of block.rows) {
      const tr = el("tr");
      row.forEach((cell, i) => {
        const td = el(i === 0 ? "th" : "td", "", cell);
        if (i === 0) td.scope = "row";
        else if (block.header[i]) td.dataset.column = block.header[i];
        tr.append(td);
      });
      body.append(tr);
    }
    table.append(body);
    wrap.append(table);
    return wrap;
  }

  // Bars on a common scale that starts a little below the lowest figure, as the text chart does.
  function chartBlock(block) {
    const node = el("figure", "block chart");
    if (block.title) node.append(el("figcaption", "", block.title));
    const lowest = Math.min(...block.bars.map((bar) => bar.low));
    const highest = Math.max(...block.bars.map((bar) => bar.high));
    const start = Math.floor((lowest * 0.8) / 10000) * 10000;
    const span = Math.max(highest - start, 1);
    const rows = el("ul", "bars");
    for (const bar of block.bars) {
      const row = el("li", "bar-row");
      const track = el("span", "bar-track");
      const fill = el("span", bar.open_ended ? "bar open" : "bar");
      fill.style.left = `${((bar.low - start) / span) * 100}%`;
      fill.style.width = `${Math.max(((bar.high - bar.low) / span) * 100, 2)}%`;
      track.setAttribute("aria-hidden", "true");
      track.append(fill);
      row.append(el("span", "bar-label", bar.label), track, el("span", "bar-value", bar.value));
      rows.append(row);
    }
    node.append(rows);
    return node;
  }

  function drawBlock(block, numbers) {
    switch (block.type) {
      case "heading": return el("p", "block heading", block.text);
      case "paragraph": return line("p", "block paragraph", block.text, block.sources, numbers);
      case "notice": return line("p", "block notice", block.text, block.sources, numbers);
      case "list": return listBlock(block, numbers);
      case "table": return tableBlock(block);
      case "chart": return chartBlock(block);
      default: return block.text ? el("p", "block paragraph", block.text) : null;   // a newer kind: its text
    }
  }

  function answerBody(answer) {
    const body = el("div", "text");
    const sources = answer.sources || [];
    // numbers in brackets point at the sources, by their place in the list, when there are several
    const numbers = new Map(sources.length > 1 ? sources.map((id, i) => [id, i + 1]) : []);
    for (const block of answer.blocks || []) {
      const node = drawBlock(block, numbers);
      if (!node) continue;
      if (block.continues) node.classList.add("continues");
      body.append(node);
    }
    return body;
  }

  function bubble(who, label) {
    const item = el("article", `msg ${who}`);
    item.append(el("span", "visually-hidden", label));
    log.append(item);
    return item;
  }

  function addUser(text) {
    const item = bubble("user", "You said:");
    item.append(el("div", "text", text));
    shownItems.push({ user: text });
    return item;
  }

  function addAnswer(answer) {
    const item = bubble("bot", "careerbot:");
    shownItems.push({ answer });
    item.append(answerBody(answer));
    // a short answer's rest is in full_blocks: "Show more" draws it in place, no new question
    if (answer.full_blocks && answer.full_blocks.length) {
      const more = el("button", "show-more quiet", "Show more");
      more.type = "button";
      more.setAttribute("aria-expanded", "false");
      more.addEventListener("click", () => {
        item.querySelector(".text").replaceWith(answerBody({ ...answer, blocks: answer.full_blocks }));
        more.remove();
      });
      item.append(more);
    }
    const references = answer.references || [];
    if (references.length) {
      const sources = el("div", "sources");
      sources.append(el("span", "sources-label", "Sources"));
      const list = el("ol");
      for (const reference of references) list.append(el("li", "", reference.title));
      sources.append(list);
      item.append(sources);
    }
    if (answer.suggestions && answer.suggestions.length) {
      const choices = el("div", "suggestions");
      choices.setAttribute("role", "group");
      choices.setAttribute("aria-label", "Follow-up questions");
      for (const suggestion of answer.suggestions) {
        const button = el("button", "suggestion", suggestion);
        button.type = "button";
        button.addEventListener("click", () => ask(suggestion));
        choices.append(button);
      }
      item.append(choices);
    }
    if (answer.answer_id) item.append(feedbackButtons(answer.answer_id));
    return item;
  }

  // Only a server that records questions gives answers an answer_id; only those get 👍/👎.
  function feedbackButtons(answerId) {
    const group = el("div", "feedback");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Was this answer helpful?");
    const status = el("span", "feedback-status");
    status.setAttribute("aria-live", "polite");
    const choices = [[true, "\u{1F44D}", "Helpful"], [false, "\u{1F44E}", "Not helpful"]].map(([helpful, icon, label]) => {
      const button = el("button", "rate", icon);
      button.type = "button";
      button.title = label;
      button.setAttribute("aria-label", label);
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => rate(helpful, button));
      return button;
    });
    async function rate(helpful, chosen) {
      for (const button of choices) button.disabled = true;
      try {
        const response = await fetch("/v1/feedback", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ answer_id: answerId, helpful }),
        });
        if (!response.ok) throw new Error(String(response.status));
        chosen.setAttribute("aria-pressed", "true");
        status.textContent = helpful ? "Thanks!" : "Thanks: this helps improve careerbot.";
      } catch (_) {
        for (const button of choices) button.disabled = false;
        status.textContent = "Could not send that; try again.";
      }
    }
    group.append(el("span", "feedback-label", "Helpful?"), ...choices, status);
    return group;
  }

  function addError(message) {
    bubble("bot error", "Error:").append(el("div", "text", message));
  }

  function setBusy(value) {
    busy = value;
    send.disabled = value;
    log.setAttribute("aria-busy", String(value));
    for (const button of log.querySelectorAll("button.suggestion")) button.disabled = value;
  }

  async function ask(text) {
    text = text.trim();
    if (!text || busy) return;
    setBusy(true);
    const asked = addUser(text);
    const typing = bubble("typing", "careerbot is answering");
    typing.append(el("div", "text", "\u2026"));
    typing.scrollIntoView({ block: "end" });
    let shown;
    try {
      const response = await fetch("/v1/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text, state }),
      });
      const data = await response.json().catch(() => null);
      typing.remove();
      if (response.ok && data) {
        state = data.state;
        shown = addAnswer(data);
        save();
      } else {
        const error = data && data.error ? data.error : { code: "http", message: `The server answered ${response.status}.` };
        if (error.code === "invalid_state") {
          state = null;
          addError(`${error.message} The conversation starts afresh.`);
        } else {
          addError(error.message);
        }
      }
    } catch (_) {
      typing.remove();
      addError("Could not reach careerbot. Is the server still running?");
    } finally {
      setBusy(false);
    }
    // a long answer is read from its top, with the question it answers just above it
    (shown ? asked : log.lastElementChild).scrollIntoView({ block: shown ? "start" : "end" });
    input.focus();
  }

  function start() {
    state = null;
    shownItems = [];
    try { sessionStorage.removeItem(SAVED); } catch (_) { /* nothing saved */ }
    log.replaceChildren();
    addAnswer({ blocks: [{ type: "paragraph", text: WELCOME, sources: [] }], suggestions: STARTERS });
    input.value = "";
    fitInput();
    input.focus();
  }

  function fitInput() {
    input.style.height = "";
    if (input.value) input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || busy) return;
    input.value = "";
    fitInput();
    ask(text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", fitInput);
  newChat.addEventListener("click", start);

  if (!restore()) start();
})();
