"""Shared fixtures: one engine for the whole suite (it is immutable), and copies of the shipped
data folders that a test may break on purpose."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest

from careerbot import Engine

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def engine(private_cache_folder) -> Engine:
    """The shipped engine as every start after the first gets it: from the cache (the first load
    builds and writes it)."""
    Engine.load()
    return Engine.load()


EVERY_KIND_OF_ANSWER = (
    "what does a data scientist actually do",             # overview: heading, paragraph, lists
    "what does an ML engineer earn",                      # salary: lists, a chart, notes that continue
    "what skills does an NLP engineer need",              # skills
    "what projects does a computer vision engineer work on",   # projects
    "how do I become an NLP engineer",                    # topic: a notice, lists
    "what is the best paid ML job",                       # ranking: a numbered list, a chart, a notice
    "nlp engineer vs computer vision engineer",           # compare: a table and a chart
    "what ML jobs exist",                                 # list
    "which roles use Docker",                             # roles_with_skill
    "what are you able to help with",                     # help
    "hi",                                                 # reply
    "what would my responsibilities be",                  # a question back: which role?
    "MLOps courses or certs?",                            # did you mean …?
    "how much does a nurse earn",                         # out of scope: a job outside ML
    "can data scientists work remotely",                  # out of scope: uncovered, then what the sources say
)
"""One question for every kind of answer, in an order whose conversation keeps each kind (the
question back needs no role in play)."""


@pytest.fixture(scope="session")
def every_kind_of_answer() -> tuple[str, ...]:
    return EVERY_KIND_OF_ANSWER


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """Writable copies of the shipped `intents` and `knowledge` folders, as a user names folders
    on the command line: relative to the current folder, which is the one holding them. Problems
    name their files as the folders were given: `knowledge/roles/….yaml`, `intents/….yaml`."""
    shutil.copytree(REPO / "intents", tmp_path / "intents")
    shutil.copytree(REPO / "knowledge", tmp_path / "knowledge")
    monkeypatch.chdir(tmp_path)
    return Path("intents"), Path("knowledge")


@pytest.fixture
def peak_memory():
    """`measure(function, *args)` → its result and the most memory it held at once (tracemalloc)."""
    def measure(function, *args):
        tracemalloc.start()
        try:
            result = function(*args)
            return result, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return measure


@pytest.fixture(autouse=True, scope="session")
def private_cache_folder(tmp_path_factory):
    """The suite never reads or writes the user's own engine cache."""
    import os
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


def block_texts(block, *, cells: bool = True) -> list[str]:
    """The texts a drawing of `block` must show: its text, a list's title, items and note, a table's
    header and cells (or only its row labels, for a layout that wraps cells into columns), each
    bar's label and value."""
    if block.type in ("heading", "paragraph", "notice"):
        return [block.text]
    if block.type == "list":
        return [t for t in (block.title, *(item.text for item in block.items), block.note) if t]
    if block.type == "table":
        shown = [cell for row in (block.header, *block.rows) for cell in (row if cells else row[:1])]
        return [cell for cell in shown if cell]
    if block.type == "chart":
        return [t for bar in block.bars for t in (bar.label, bar.value)] + ([block.title] if block.title else [])
    raise AssertionError(f"a block type the tests do not know: {block.type}")


@pytest.fixture(scope="session")
def texts_of():
    return block_texts
