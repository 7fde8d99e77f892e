"""The compiled-engine cache: an optimisation only — it changes nothing but speed, is rebuilt when
stale or corrupt, and is never trusted blindly."""

from __future__ import annotations

import os

import pytest

from careerbot import Engine, _cache


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CAREERBOT_NO_CACHE", raising=False)
    return tmp_path / "cache" / "careerbot"


def cache_files(folder):
    return sorted(folder.glob("engine-*.pickle")) if folder.exists() else []


QUESTIONS = ["what does an MLOps engineer earn", "data scientist vs ML engineer", "which roles use Spark",
             "how do I become an NLP engineer", "hi", "book a flight"]


def test_a_cached_engine_answers_exactly_like_a_fresh_one(cache_home, data_copy):
    """The second load comes from the cache and gives the same answers."""
    intents, knowledge = data_copy
    fresh = Engine.load(intents=intents, knowledge=knowledge)
    assert len(cache_files(cache_home)) == 1
    cached = Engine.load(intents=intents, knowledge=knowledge)
    assert [cached.ask(q).to_dict() for q in QUESTIONS] == [fresh.ask(q).to_dict() for q in QUESTIONS]


def test_a_changed_data_file_makes_the_cache_stale(cache_home, data_copy):
    """Editing a knowledge file is seen on the next load, cache or not."""
    intents, knowledge = data_copy
    Engine.load(intents=intents, knowledge=knowledge)
    role = knowledge / "roles" / "cloud-architect.yaml"
    role.write_text(role.read_text().replace("average: 218000", "average: 219000"))
    os.utime(role, ns=(1, 1))            # a different modification time even on coarse clocks
    assert "$219,000" in Engine.load(intents=intents, knowledge=knowledge).ask("cloud architect salary").text


def test_a_corrupt_cache_is_rebuilt(cache_home, data_copy):
    """A truncated or garbled cache file is ignored and written anew."""
    intents, knowledge = data_copy
    Engine.load(intents=intents, knowledge=knowledge)
    [path] = cache_files(cache_home)
    path.write_bytes(path.read_bytes()[:200] + b"garbage")
    engine = Engine.load(intents=intents, knowledge=knowledge)
    assert engine.ask("what does an NLP engineer earn").intent == "salary"
    assert _cache.load(tuple(os.path.abspath(f) for f in (intents, knowledge))) is not None


def test_a_cache_others_may_write_is_not_trusted(cache_home, data_copy):
    """A cache file writable by others is never unpickled."""
    intents, knowledge = data_copy
    Engine.load(intents=intents, knowledge=knowledge)
    [path] = cache_files(cache_home)
    path.chmod(0o666)
    assert _cache.load(tuple(os.path.abspath(f) for f in (intents, knowledge))) is None


def test_an_unwritable_cache_folder_changes_nothing(tmp_path, monkeypatch, data_copy):
    """When the cache cannot be written, loading still works."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    intents, knowledge = data_copy
    assert Engine.load(intents=intents, knowledge=knowledge).ask("hi").intent == "greeting"


def test_the_cache_can_be_turned_off(cache_home, data_copy, monkeypatch):
    """CAREERBOT_NO_CACHE=1 neither reads nor writes a cache."""
    monkeypatch.setenv("CAREERBOT_NO_CACHE", "1")
    intents, knowledge = data_copy
    Engine.load(intents=intents, knowledge=knowledge)
    assert cache_files(cache_home) == []


def test_a_broken_file_is_reported_even_after_a_good_load(cache_home, data_copy):
    """A cached good engine never hides a file broken since: loading validates again."""
    from careerbot import KnowledgeError
    intents, knowledge = data_copy
    Engine.load(intents=intents, knowledge=knowledge)
    role = knowledge / "roles" / "data-engineer.yaml"
    role.write_text("id: [broken\n")
    with pytest.raises(KnowledgeError):
        Engine.load(intents=intents, knowledge=knowledge)
