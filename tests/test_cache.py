"""The compiled-engine cache: an optimisation only — it changes nothing but speed, is rebuilt when
stale or corrupt, holds plain values that load without running code, and is never trusted blindly.
Unit tests of the cache's internals (`careerbot._cache`)."""

from __future__ import annotations

import os

import pytest

from careerbot import Engine, _cache
from careerbot.knowledge.model import ENCODED_TABLES, SHARDED_READS, SHARDS, ShardedTable, deferred_tables


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CAREERBOT_NO_CACHE", raising=False)
    return tmp_path / "cache" / "careerbot"


def cache_files(folder):
    return sorted(folder.glob("engine-*.marshal")) if folder.exists() else []


QUESTIONS = ["what does an MLOps engineer earn", "data scientist vs ML engineer", "which jobs work with Spark",
             "how do I become an NLP engineer", "hi", "book a flight"]


def test_a_cached_engine_answers_exactly_like_a_fresh_one(cache_home, data_copy):
    """The second load comes from the cache and gives the same answers."""
    intents, knowledge = data_copy
    fresh = Engine.load(intents=intents, knowledge=knowledge)
    assert len(cache_files(cache_home)) == 1
    cached = Engine.load(intents=intents, knowledge=knowledge)
    assert [cached.ask(q).to_dict() for q in QUESTIONS] == [fresh.ask(q).to_dict() for q in QUESTIONS]


def test_internal_an_engine_from_the_cache_folds_like_a_fresh_one(cache_home, data_copy):
    """Unit test of an internal: `careerbot eval --cross-validate` builds engines from the folds of
    the knowledge base of the engine it is given (`calibrate.fold`), loaded from the cache or not;
    the folds are the same."""
    from careerbot.reading.calibrate import fold
    intents, knowledge = data_copy
    fresh = Engine.load(intents=intents, knowledge=knowledge)._knowledge
    cached = Engine.load(intents=intents, knowledge=knowledge)._knowledge
    assert repr(fold(cached, 5, 2)) == repr(fold(fresh, 5, 2))


def test_a_cached_engine_holds_the_same_model(cache_home, data_copy, monkeypatch):
    """From the cache (the second load cannot parse a file), the knowledge base is the same
    records, each of its own type, the dialogue's rules are the same and the matcher's tables are
    the same values."""
    import careerbot.knowledge.loader as loader
    intents, knowledge = data_copy
    fresh = Engine.load(intents=intents, knowledge=knowledge)

    def no_parsing(**folders):
        raise AssertionError("the cached engine was built afresh")

    monkeypatch.setattr(loader, "load_knowledge_base", no_parsing)
    cached = Engine.load(intents=intents, knowledge=knowledge)
    assert repr(cached._knowledge) == repr(fresh._knowledge)
    assert cached._policy.rules == fresh._policy.rules
    for part in (lambda e: e._matcher, lambda e: e._matcher.extractor, lambda e: e._matcher.extractor.gazetteer,
                 lambda e: e._renderer):
        assert tables(part(cached)) == tables(part(fresh))


def test_internal_a_load_makes_one_object_of_equal_values(cache_home, data_copy):
    """Unit test of an internal: the cache writes a value once however many places hold it (among
    the tables loaded whole, and within each bucket of a sharded one), so a load creates one object
    for each intent id the example templates name, one for each tuple of intents a bucket holds,
    and one dict of weights for the keywords that share it (it loads faster)."""
    intents, knowledge = data_copy
    Engine.load(intents=intents, knowledge=knowledge)
    matcher = Engine.load(intents=intents, knowledge=knowledge)._matcher
    owners = matcher.template_intents
    assert len({id(intent) for intent in owners}) == len(set(owners)) < len(owners)
    for name, kind in (("word_intents", tuple), ("keywords", lambda weights: tuple(weights.items()))):
        table = getattr(matcher, name)
        assert isinstance(table, ShardedTable)
        values = [value for index in range(SHARDS) for value in table.bucket(index).values()]
        assert sum(len({id(v) for v in table.bucket(i).values()}) for i in range(SHARDS)) \
            == sum(len({kind(v) for v in table.bucket(i).values()}) for i in range(SHARDS)) < len(values)


def test_internal_a_question_decodes_only_the_buckets_of_its_words(cache_home, data_copy):
    """Unit test of an internal: a cached engine decodes the buckets of its word tables that a
    question's words fall in, answering as an engine built from the files does; after
    `SHARDED_READS` reads a table is decoded whole, into a plain dict."""
    intents, knowledge = data_copy
    fresh = Engine.load(intents=intents, knowledge=knowledge)
    cached = Engine.load(intents=intents, knowledge=knowledge)
    question = "what does an MLOps engineer earn"
    assert cached.ask(question).to_dict() == fresh.ask(question).to_dict()
    matcher, gazetteer = cached._matcher, cached._matcher.extractor.gazetteer
    for part, name in ((matcher, "vocabulary"), (matcher, "keywords"), (gazetteer, "first_words")):
        table = vars(part)[ENCODED_TABLES][name]
        assert isinstance(table, ShardedTable) and name not in vars(part)
        assert 0 < table.decoded < SHARDS // 8
    reads = vars(matcher)[ENCODED_TABLES]["vocabulary"].reads
    for _ in range(SHARDED_READS - reads):
        assert "mlops" in matcher.vocabulary
    assert type(vars(matcher)["vocabulary"]) is dict and matcher.vocabulary == fresh._matcher.vocabulary
    assert "vocabulary" not in vars(matcher)[ENCODED_TABLES]      # its buckets are let go


def test_internal_an_answer_decodes_no_intent_it_only_offers(cache_home, data_copy):
    """Unit test of an internal: the questions offered after an answer are written from the
    renderer's own table, so a cached engine decodes the intent it answers, not each one it offers
    (with its hundreds of examples)."""
    intents, knowledge = data_copy
    Engine.load(intents=intents, knowledge=knowledge)
    cached = Engine.load(intents=intents, knowledge=knowledge)
    answer = cached.ask("what does an MLOps engineer earn")
    assert answer.intent == "salary" and len(answer.suggestions) >= 2
    assert list(cached._knowledge.intents._decoded) == ["salary"]


def tables(part) -> dict:
    """A compiled part's tables, those a cached engine decodes when first read among them."""
    names = (set(vars(part)) | set(deferred_tables(part))) - {ENCODED_TABLES, "extractor", "gazetteer", "kb"}
    return {name: getattr(part, name) for name in names}


def test_tables_few_questions_need_are_decoded_when_first_read(cache_home, data_copy):
    """A cached engine decodes the typo tables only for a question with a word it does not know,
    and answers it as an engine built from the files does."""
    intents, knowledge = data_copy
    fresh = Engine.load(intents=intents, knowledge=knowledge)
    cached = Engine.load(intents=intents, knowledge=knowledge)
    matcher = cached._matcher
    cached.ask("what does an MLOps engineer earn")
    assert "spelling_targets" not in vars(matcher) and "by_length" not in vars(matcher.extractor.gazetteer)
    # still encoded, as a view of the cache file's bytes: a load copies none of them
    assert isinstance(vars(matcher)[ENCODED_TABLES]["spelling_targets"], memoryview)
    typo = "how much does a data scientsit earn"
    assert cached.ask(typo).to_dict() == fresh.ask(typo).to_dict()
    assert "spelling_targets" in vars(matcher) and "dictionary_words" in vars(matcher)


def test_a_cache_holding_code_never_runs_it(cache_home, data_copy, tmp_path):
    """A cache file whose payload is a pickle that would run code (with a header that matches) is
    read as plain values only: it fails to read, the engine is built afresh, nothing runs."""
    import marshal
    import pickle
    intents, knowledge = data_copy
    Engine.load(intents=intents, knowledge=knowledge)
    [path] = cache_files(cache_home)
    witness = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(witness), "w"))

    payload = pickle.dumps(Payload())
    header = marshal.dumps((_cache.fingerprint(key_of(data_copy)), len(payload)))
    path.write_bytes(_cache.MAGIC + len(header).to_bytes(4, "big") + header + payload)
    assert Engine.load(intents=intents, knowledge=knowledge).ask("hi").intent == "greeting"
    assert not witness.exists()


@pytest.mark.parametrize("racy_seconds", [_cache.RACY_SECONDS, 0])
def test_a_changed_data_file_makes_the_cache_stale(cache_home, data_copy, monkeypatch, racy_seconds):
    """Editing a knowledge file is seen on the next load, cache or not: also when the files are
    older than the racy window, so that their stamps alone would be trusted, and the edit puts the
    old size and modification time back (the change time still moves)."""
    monkeypatch.setattr(_cache, "RACY_SECONDS", racy_seconds)
    intents, knowledge = data_copy
    Engine.load(intents=intents, knowledge=knowledge)
    role = knowledge / "roles" / "cloud-architect.yaml"
    stat = role.stat()
    role.write_text(role.read_text().replace("average: 218000", "average: 219000"))
    os.utime(role, ns=(stat.st_atime_ns, stat.st_mtime_ns))     # same size and time: only the contents tell
    assert "$219,000" in Engine.load(intents=intents, knowledge=knowledge).ask("cloud architect salary").text


def counting_digests(monkeypatch) -> list:
    """Unit test helper: records each time the data files' contents are hashed."""
    calls, digest = [], _cache._digest
    monkeypatch.setattr(_cache, "_digest", lambda *args: calls.append(1) or digest(*args))
    return calls


def test_unchanged_data_files_are_not_read_again(cache_home, data_copy, monkeypatch):
    """Unit test of the cache's internals: when no data file's size, times or inode changed since
    the fingerprint, a load does not hash their contents; after `touch` (same contents) it hashes
    them once, keeps the cache, and remembers the new stamps."""
    monkeypatch.setattr(_cache, "RACY_SECONDS", 0)
    Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    hashed = counting_digests(monkeypatch)
    assert _cache.load(key_of(data_copy)) is not None and hashed == []
    role = data_copy[1] / "roles" / "cloud-architect.yaml"
    os.utime(role)
    assert _cache.load(key_of(data_copy)) is not None and hashed == [1]
    assert _cache.load(key_of(data_copy)) is not None and hashed == [1]


def test_recently_changed_data_files_are_always_hashed(cache_home, data_copy, monkeypatch):
    """Unit test of the cache's internals: a file changed within the racy window of the fingerprint
    could change again within one tick of the file system's clock, so its stamp is never trusted."""
    monkeypatch.setattr(_cache, "RACY_SECONDS", 10 ** 9)
    Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    hashed = counting_digests(monkeypatch)
    assert _cache.load(key_of(data_copy)) is not None and _cache.load(key_of(data_copy)) is not None
    assert hashed == [1, 1]


def test_an_added_or_removed_data_file_makes_the_cache_stale(cache_home, data_copy, monkeypatch):
    """A data file added or removed since the fingerprint makes the cache stale, whatever the stamps."""
    monkeypatch.setattr(_cache, "RACY_SECONDS", 0)
    Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    extra = data_copy[1] / "roles" / "extra.yaml"
    extra.write_text("")
    assert _cache.load(key_of(data_copy)) is None
    extra.unlink()
    assert _cache.load(key_of(data_copy)) is not None
    (data_copy[0] / "thanks.yaml").unlink()
    assert _cache.load(key_of(data_copy)) is None


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


# --- a cache folder others can reach, a machine without a home -------------------------------------

def key_of(data_copy) -> tuple[str, ...]:
    return tuple(os.path.abspath(f) for f in data_copy)


@pytest.mark.timeout(20)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_at_the_cache_path_is_skipped_not_waited_on(cache_home, data_copy):
    """A FIFO planted at the cache path (in a shared cache folder another user can) blocked every
    start forever; it is not a regular file, so it is skipped and the engine loads."""
    cache_home.mkdir(parents=True, mode=0o700)
    os.mkfifo(cache_home / _cache._name(key_of(data_copy)))
    engine = Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    assert engine.ask("hi").intent == "greeting"


def test_a_cache_file_is_read_only_up_to_its_size_limit(cache_home, data_copy, peak_memory):
    """A cache file over MAX_CACHE_BYTES (a sparse 200 MB file here) is not read, whole or in part."""
    cache_home.mkdir(parents=True, mode=0o700)
    path = cache_home / _cache._name(key_of(data_copy))
    with open(path, "wb") as sparse:
        sparse.write(_cache.MAGIC)
        sparse.truncate(200_000_000)
    path.chmod(0o600)
    found, peak = peak_memory(_cache.load, key_of(data_copy))
    assert found is None and peak < 10_000_000


def test_the_cache_folder_is_created_private(cache_home, data_copy):
    """The cache folder is created readable and writable by its owner only."""
    Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    assert cache_home.stat().st_mode & 0o777 == 0o700 and cache_files(cache_home)


@pytest.mark.parametrize("how", ["others may write", "owned by someone else"])
def test_a_cache_folder_that_is_not_the_users_own_is_not_used(cache_home, data_copy, monkeypatch, how):
    """In a folder others may write, or that another user owns, no cache is read or written."""
    Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    [path] = cache_files(cache_home)
    if how == "others may write":
        cache_home.chmod(0o777)
    else:
        monkeypatch.setattr(os, "getuid", lambda: cache_home.stat().st_uid + 1)
    assert _cache.load(key_of(data_copy)) is None
    path.unlink()
    Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    assert cache_files(cache_home) == []


def test_temporary_files_of_a_killed_build_are_removed(cache_home, data_copy):
    """A `.tmp` file left by a build that was killed mid-write is removed by the next build; one
    being written now (recent) is left alone."""
    cache_home.mkdir(parents=True, mode=0o700)
    stale, fresh = cache_home / ".engine-killed.tmp", cache_home / ".engine-writing.tmp"
    stale.write_bytes(b"half a cache")
    fresh.write_bytes(b"a cache being written")
    old = os.stat(stale).st_mtime - _cache.STALE_AFTER - 60
    os.utime(stale, (old, old))
    Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    assert not stale.exists() and fresh.exists() and cache_files(cache_home)


@pytest.fixture
def no_home(tmp_path, monkeypatch):
    """HOME unset, no passwd entry for the user, no XDG folders; the current folder is a scratch one."""
    import pwd

    def no_entry(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    for name in ("HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CAREERBOT_NO_CACHE", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_a_home_there_is_no_cache_and_no_folder_named_tilde(no_home, data_copy):
    """With no home folder the engine loads and answers without a cache; nothing is written to a
    folder literally named `~` in the current folder."""
    engine = Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    assert engine.ask("what does an NLP engineer earn").intent == "salary"
    assert _cache.cache_folder() is None and not (no_home / "~").exists()


def test_without_a_home_the_chat_keeps_its_history_in_memory(no_home, engine):
    """The terminal chat without a home folder answers, with no traceback and no history file."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from careerbot.frontends.repl import run
    with create_pipe_input() as pipe:
        pipe.send_text("tell me about NLP engineers\n\x04")
        assert run(engine, color=False, input=pipe, output=DummyOutput()) == 0
    assert list(no_home.iterdir()) == []


def test_the_engine_runs_where_posix_only_calls_are_missing(cache_home, data_copy, monkeypatch):
    """Where os.getuid, O_NONBLOCK, O_NOFOLLOW and the pwd module do not exist (Windows), the engine
    loads, writes its cache, loads from it and answers."""
    import sys
    for name in ("getuid", "geteuid", "O_NONBLOCK", "O_NOFOLLOW"):
        monkeypatch.delattr(os, name)
    monkeypatch.setitem(sys.modules, "pwd", None)
    first = Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    assert _cache.load(key_of(data_copy)) is not None
    cached = Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    assert cached.ask("which jobs work with Spark").to_dict() == first.ask("which jobs work with Spark").to_dict()


def test_the_cache_folder_keeps_the_newest_caches_only(cache_home, data_copy):
    """Each set of data folders has its own cache; writing one more than `KEPT` removes the oldest,
    so that trying many folders does not fill the disk. The newest ones stay."""
    cache_home.mkdir(parents=True, mode=0o700)
    for index in range(_cache.KEPT):
        old = cache_home / f"engine-{index:08x}.marshal"
        old.write_bytes(b"a cache of other folders")
        os.utime(old, (1_000_000 + index, 1_000_000 + index))
    Engine.load(intents=data_copy[0], knowledge=data_copy[1])
    left = sorted(p.name for p in cache_home.glob("engine-*.marshal"))
    assert len(left) == _cache.KEPT
    assert "engine-00000000.marshal" not in left and f"engine-{_cache.KEPT - 1:08x}.marshal" in left
    assert Engine.load(intents=data_copy[0], knowledge=data_copy[1]).ask("what does a DE do").intent == "role_overview"
