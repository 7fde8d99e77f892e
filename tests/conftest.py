"""Shared fixtures: one engine for the whole suite (it is immutable), and copies of the shipped
data folders that a test may break on purpose."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest

from careerbot import Engine
from careerbot._loader import shipped_folder

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture
def data_copy(tmp_path: Path) -> tuple[Path, Path]:
    """Writable copies of the shipped `intents` and `knowledge` folders."""
    intents, knowledge = tmp_path / "intents", tmp_path / "knowledge"
    shutil.copytree(shipped_folder("intents"), intents)
    shutil.copytree(shipped_folder("knowledge"), knowledge)
    return intents, knowledge


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
