"""The chat page end to end: a real uvicorn server on loopback, driven in Debian's headless Chromium.

Skipped only when the `playwright` package or /usr/bin/chromium is missing, and never when
CAREERBOT_REQUIRE_BROWSER is set (CI installs both and sets it); browsers are never downloaded:
Playwright launches the system binary.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from careerbot import Engine

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}

if os.environ.get("CAREERBOT_REQUIRE_BROWSER"):
    from playwright import sync_api
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install -y chromium)"
else:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)", allow_module_level=True)

expect = sync_api.expect


@pytest.fixture(scope="module")
def server(engine: Engine):
    """A real uvicorn server on a free loopback port, in a thread, for this module's tests."""
    from careerbot.frontends.server import create_app

    yield from running(create_app(engine))


def running(app):
    """Serve `app` with uvicorn on a free loopback port in a thread; yields its address."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uvicorn_server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uvicorn_server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uvicorn_server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the uvicorn server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: str):
    """A phone-sized page that may reach the server and nothing else; its errors are collected."""
    yield from open_page(browser, server)


def open_page(browser, server: str):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text}"))
    origin = urlsplit(server).netloc

    def only_the_server(route):
        if urlsplit(route.request.url).netloc == origin:
            route.continue_()
        else:
            page.problems.append(f"tried to load {route.request.url}")
            route.abort()

    page.route("**/*", only_the_server)
    page.goto(server)
    yield page
    context.close()


def test_chat_answers_cites_sources_and_follows_a_suggestion(page, engine: Engine, tmp_path: Path):
    """Type a question and press Enter: the answer, its sources and suggestions appear; a click on a
    suggestion asks it, in the same conversation, and its answer appears too."""
    log = page.locator("#log")
    answers = log.locator(".msg.bot")
    expect(answers).to_have_count(1)            # the welcome, with starter questions
    expect(answers.first.locator("button.suggestion").first).to_be_visible()

    chat = engine.conversation()
    first = chat.ask("tell me about NLP engineers")
    suggestion = next(s for s in first.suggestions if "earn" in s)
    second = chat.ask(suggestion)

    question = page.locator("#question")
    question.click()
    question.press_sequentially("tell me about NLP engineers")
    question.press("Enter")
    expect(answers).to_have_count(2)
    expect(log.locator(".msg.user .text").last).to_have_text("tell me about NLP engineers")
    answer = answers.last
    expect(answer).to_contain_text(first.text.splitlines()[0])
    titles = [reference.title for reference in first.references]
    expect(answer.locator(".sources li")).to_have_text(titles)
    expect(answer.locator("button.suggestion")).to_have_text(list(first.suggestions))
    expect(question).to_have_value("")
    expect(question).to_be_focused()

    answer.get_by_role("button", name=suggestion).click()
    expect(answers).to_have_count(3)
    expect(log.locator(".msg.user .text").last).to_have_text(suggestion)
    follow_up = answers.last
    expect(follow_up).to_contain_text(second.text.splitlines()[0])
    expect(follow_up.locator(".sources li")).to_have_text(
        [reference.title for reference in second.references])
    for chart in (block for block in second.blocks if block.type == "chart"):   # a salary answer's chart
        expect(follow_up.locator(".block.chart .bar-row")).to_have_count(len(chart.bars))

    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert page.problems == []


def test_every_kind_of_answer_is_drawn_from_its_blocks(page, engine: Engine, every_kind_of_answer, texts_of):
    """Every kind of answer, a question back, a "did you mean …?" and out-of-scope answers are drawn
    one element a block, each as its type (a list's items, a table's rows, a chart's bars) with
    what it holds; the page never reads the answer's text."""
    chat = engine.conversation()
    answers = page.locator("#log .msg.bot")
    for count, question in enumerate(every_kind_of_answer, 2):
        expected = chat.ask(question)
        page.locator("#question").fill(question)
        page.locator("#question").press("Enter")
        expect(answers).to_have_count(count)
        drawn = answers.last.locator(".text > .block")
        expect(drawn).to_have_count(len(expected.blocks))
        for index, block in enumerate(expected.blocks):
            node = drawn.nth(index)
            expect(node).to_have_class(re.compile(rf"\bblock {block.type}\b"))
            for text in texts_of(block):
                expect(node).to_contain_text(text)
            if block.type == "list":
                expect(node.locator("li")).to_have_count(len(block.items))
            elif block.type == "table":
                expect(node.locator("tr")).to_have_count(len(block.rows) + 1)
            elif block.type == "chart":
                expect(node.locator(".bar-row")).to_have_count(len(block.bars))
    assert page.problems == []


def test_user_text_is_shown_as_text_never_run_as_html(page):
    """Markup typed by the user appears literally in the bubble; no element is created from it."""
    markup = '<img src=x onerror="window.pwned=1"> <b>plumber</b>'
    page.locator("#question").fill(markup)
    page.locator("#question").press("Enter")
    answers = page.locator("#log .msg.bot")
    expect(answers).to_have_count(2)
    expect(page.locator("#log .msg.user .text").last).to_have_text(markup)
    assert page.locator("#log img, #log b").count() == 0
    assert page.evaluate("window.pwned") is None
    assert page.problems == []


def test_new_chat_forgets_the_conversation(page):
    """New chat clears the log and the state: a follow-up no longer refers to the earlier role."""
    page.locator("#question").fill("tell me about data engineers")
    page.locator("#question").press("Enter")
    expect(page.locator("#log .msg.bot")).to_have_count(2)
    page.locator("#new-chat").click()
    expect(page.locator("#log .msg")).to_have_count(1)
    page.locator("#question").fill("how much do they make?")
    page.locator("#question").press("Enter")
    expect(page.locator("#log .msg.bot")).to_have_count(2)
    expect(page.locator("#log .msg.bot").last).not_to_contain_text("Data Engineer")


# -- feedback, with a server that records questions ------------------------------------------------


@pytest.fixture(scope="module")
def question_log(tmp_path_factory):
    from careerbot.frontends.questionlog import QuestionLog

    log = QuestionLog.open(f"sqlite:///{tmp_path_factory.mktemp('log') / 'questions.sqlite3'}")
    yield log
    log.close()


@pytest.fixture(scope="module")
def logging_server(engine: Engine, question_log):
    from careerbot.frontends.server import create_app

    yield from running(create_app(engine, question_log))


def test_thumbs_down_on_an_answer_is_recorded_in_the_log(browser, logging_server: str, question_log):
    """With the log on, each answer has 👍/👎 (the welcome has not); a click on 👎 says thanks,
    and the log holds that answer's question with an unhelpful feedback record."""
    import sqlalchemy as sa

    page = next(open_page(browser, logging_server))
    answers = page.locator("#log .msg.bot")
    expect(answers).to_have_count(1)
    expect(answers.first.locator(".feedback")).to_have_count(0)
    page.locator("#question").fill("how much does a firefighter earn")
    page.locator("#question").press("Enter")
    expect(answers).to_have_count(2)
    answer = answers.last
    expect(answer.get_by_role("button", name="Helpful", exact=True)).to_be_visible()
    answer.get_by_role("button", name="Not helpful").click()
    expect(answer.locator(".feedback-status")).to_contain_text("Thanks")
    expect(answer.get_by_role("button", name="Not helpful")).to_have_attribute("aria-pressed", "true")
    expect(answer.get_by_role("button", name="Helpful", exact=True)).to_be_disabled()
    assert page.problems == []
    page.context.close()

    assert question_log.flush()
    with question_log.store.transaction() as connection:
        rows = connection.execute(sa.text(
            "SELECT q.question, q.decision, f.helpful FROM careerbot_feedback f "
            "JOIN careerbot_questions q ON q.answer_id = f.answer_id")).all()
    assert [(question, decision, bool(helpful)) for question, decision, helpful in rows] == [
        ("how much does a firefighter earn", "out_of_scope", False)]


def test_no_feedback_buttons_when_the_server_records_nothing(page):
    """A server without the log gives answers no id, and the page shows no 👍/👎."""
    page.locator("#question").fill("what does an MLOps engineer earn")
    page.locator("#question").press("Enter")
    expect(page.locator("#log .msg.bot")).to_have_count(2)
    expect(page.locator("#log .msg.bot").last.locator(".sources")).to_be_visible()
    assert page.locator("#log .feedback").count() == 0


# -- answers that keep the question in view, fit a phone, survive a reload, show more -------------

LONG_QUESTION = "how would I go about becoming a machine learning engineer"


def _ask(page, text: str, count: int) -> None:
    page.locator("#question").fill(text)
    page.locator("#question").press("Enter")
    expect(page.locator("#log .msg.bot")).to_have_count(count)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE], ids=["desktop", "phone"])
def test_the_question_stays_visible_above_its_answer(browser, server: str, viewport):
    """After a long answer, the question it answers is in view, whole, on a desktop and a phone."""
    page = next(open_page(browser, server))
    page.set_viewport_size(viewport)
    _ask(page, LONG_QUESTION, 2)
    page.wait_for_timeout(300)                    # the scroll settles
    log_box = page.locator("#log").bounding_box()
    question = page.locator("#log .msg.user").last.bounding_box()
    assert question["y"] >= log_box["y"] - 1 and question["y"] + question["height"] <= log_box["y"] + log_box["height"]
    assert page.problems == []
    page.context.close()


def test_no_answer_is_wider_than_a_phone(page):
    """At 390 px, a comparison, a ranking and a salary chart fit: nothing overflows sideways, and
    table text stays at least 13 px."""
    for count, question in enumerate(("data scientist vs ML engineer", "what is the best paid ML job",
                                      "what does an ML engineer earn"), 2):
        _ask(page, question, count)
        more = page.locator("#log .msg.bot").last.get_by_role("button", name="Show more")
        if more.count():
            more.click()
    too_wide = page.evaluate("""() => [...document.querySelectorAll('#log .msg.bot, #log .msg.bot *')]
        .filter((node) => !node.closest('.visually-hidden'))
        .filter((node) => node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflowX !== 'visible'
                          || node.getBoundingClientRect().right > window.innerWidth + 1)
        .map((node) => node.className || node.tagName)""")
    assert too_wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sizes = page.evaluate("[...document.querySelectorAll('#log .table td, #log .table th')]"
                          ".map((n) => parseFloat(getComputedStyle(n).fontSize))")
    assert sizes and min(sizes) >= 13
    assert page.problems == []


def test_the_conversation_survives_a_reload(page):
    """Reloading the page keeps what was said and the conversation's context; "New conversation"
    forgets both."""
    _ask(page, "tell me about data engineers", 2)
    page.reload()
    expect(page.locator("#log .msg.user .text")).to_have_text(["tell me about data engineers"])
    expect(page.locator("#log .msg.bot")).to_have_count(2)
    _ask(page, "what skills do they need?", 3)
    expect(page.locator("#log .msg.bot").last).to_contain_text("Data Engineer")
    page.get_by_role("button", name="New conversation").click()
    page.reload()
    expect(page.locator("#log .msg")).to_have_count(1)


def test_show_more_draws_the_whole_answer(page, engine: Engine):
    """A shortened answer has "Show more", which draws the whole answer in place."""
    whole = engine.ask(LONG_QUESTION)
    assert whole.shortened
    _ask(page, LONG_QUESTION, 2)
    answer = page.locator("#log .msg.bot").last
    last_heading = [b for b in whole.full_blocks if b.type == "list" and b.title][-1].title
    expect(answer).not_to_contain_text(last_heading)
    answer.get_by_role("button", name="Show more").click()
    expect(answer).to_contain_text(last_heading)
    expect(answer.locator(".text > .block")).to_have_count(len(whole.full_blocks))
    expect(answer.get_by_role("button", name="Show more")).to_have_count(0)
