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

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Answers are plain text. Bar charts and side-by-side comparisons line up in columns, so those
  // lines go into a monospaced <pre>; everything else wraps like prose.
  const COLUMN_GAP = /\S {3,}\S/;          // text, a gap of 3+ spaces, more text: a table or chart row
  const BAR_ROW = /^ {2}.*\u2588/;           // an indented row with a bar
  const INDENTED = /^ {2,}\S/;               // continues the aligned line above it

  function isAligned(lines) {
    const aligned = lines.map((line) => COLUMN_GAP.test(line) || BAR_ROW.test(line));
    let previous = -1;   // the last line with text
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      if (previous >= 0 && aligned[previous]) {
        if (INDENTED.test(line)) aligned[i] = true;
        // blank lines between two aligned lines belong to the same table
        if (aligned[i]) for (let j = previous + 1; j < i; j++) aligned[j] = true;
      }
      previous = i;
    });
    return aligned;
  }

  function answerBody(text) {
    const body = el("div", "text");
    const lines = text.split("\n");
    const aligned = isAligned(lines);
    let run = [];
    let runAligned = false;
    const flush = () => {
      if (!run.length) return;
      if (runAligned) {
        const pre = el("pre", "aligned", run.join("\n"));
        pre.tabIndex = 0;   // may scroll sideways on a narrow screen: reachable with the keyboard
        body.append(pre);
      } else {
        body.append(el("div", "prose", run.join("\n")));
      }
      run = [];
    };
    lines.forEach((line, i) => {
      if (aligned[i] !== runAligned) {
        flush();
        runAligned = aligned[i];
      }
      run.push(line);
    });
    flush();
    return body;
  }

  function bubble(who, label) {
    const item = el("article", `msg ${who}`);
    item.append(el("span", "visually-hidden", label));
    log.append(item);
    return item;
  }

  function addUser(text) {
    bubble("user", "You said:").append(el("div", "text", text));
  }

  function addAnswer(answer) {
    const item = bubble("bot", "careerbot:");
    item.append(answerBody(answer.text));
    const titles = answer.source_titles || {};
    if (answer.sources && answer.sources.length) {
      const sources = el("div", "sources");
      sources.append(el("span", "sources-label", "Sources"));
      const list = el("ol");
      for (const id of answer.sources) list.append(el("li", "", titles[id] || id));
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

  // Aligned text keeps its columns only unwrapped: on a narrow screen it gets a smaller font, and
  // scrolls sideways only below the smallest.
  const ALIGNED_FONT_PX = 12, SMALLEST_ALIGNED_FONT_PX = 8;
  function fitAligned(root) {
    for (const pre of root.querySelectorAll("pre.aligned")) {
      pre.style.fontSize = "";
      const room = pre.clientWidth, needed = pre.scrollWidth;
      if (needed > room) {
        const size = Math.max(SMALLEST_ALIGNED_FONT_PX, Math.floor((ALIGNED_FONT_PX * room * 10) / needed) / 10);
        pre.style.fontSize = `${size}px`;
      }
    }
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
    addUser(text);
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
        fitAligned(shown);
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
    // a long answer is read from its top; the question stays just above it
    (shown || log.lastElementChild).scrollIntoView({ block: shown ? "start" : "end" });
    input.focus();
  }

  function start() {
    state = null;
    log.replaceChildren();
    addAnswer({ text: WELCOME, sources: [], suggestions: STARTERS });
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
  let refit = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(refit);
    refit = requestAnimationFrame(() => fitAligned(log));
  });

  start();
})();
