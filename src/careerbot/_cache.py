"""A cache of the compiled engine, so that a cold start parses no YAML.

The validated knowledge base, the matcher's tables and the renderer's are written as plain values
(tuples, lists, dicts, sets, strings and numbers) with `marshal` into the user's cache folder
(`$XDG_CACHE_HOME/careerbot/`, else `~/.cache/careerbot/`), and read back into the model's own
records: loading it runs no code of the file's (it is no pickle). Entries of the knowledge base
(`Encoded`) and tables few questions need (`Deferred`: the typo tables) stay `marshal` bytes until
first read, and the word tables every question looks a few words up in (`Sharded`) are kept in
buckets, each decoded when a word of it is first looked up; those bytes are written after the
`marshal` payload and loaded as views of the file's, never copied. Without a cache a load validates
the YAML and compiles the matcher's tables (2.6 s here, the typo tables most of it); from the cache
it takes about 5 ms, which is why there is one.
It is an optimisation only: deleting it changes nothing but speed, and it is never trusted blindly —

- its header holds a fingerprint of what it was built from (a hash of the data files' names and
  contents; careerbot's version and its modules' names, sizes and modification times; the Python
  version) and the payload's length; a cache that does not match is rebuilt. Hashing every
  data file at every start cost a cold start about a millisecond, so the header also keeps each
  data file's size, modification and change times and inode: while none of them changes, the
  contents are not read again. Any change (an edit, a copy, `touch`, an edit that puts the old
  size and modification time back, which still moves the change time) has the contents hashed as
  before (the same contents keep the cache, under the new stamps), and a file changed less than
  `RACY_SECONDS` before the fingerprint was taken is hashed at every load (a later change could
  fall in the same tick of the file system's clock);
- it is whole or absent: written atomically (a temporary file, then a rename), owner-only, and read
  only when its payload has the length its header gives, so a truncated copy is rebuilt; like
  Python's own bytecode cache it keeps no checksum of its bytes (computing one, and importing the
  module that does, took a cold start half a millisecond), and one `marshal` cannot read is rebuilt;
- a file that is not owned by the current user, or that others may write, is ignored (it could
  hold other answers), and so is the whole folder when it is not the user's own, private folder
  (created 0700);
- only a regular file is read (a FIFO planted at its path would block every start), and only up to
  a size bounded like the data it was built from; temporary files left by a build that was killed
  are removed.

Without a home folder (HOME unset and no passwd entry) and no absolute `$XDG_CACHE_HOME`, there is
no cache. `CAREERBOT_NO_CACHE=1` turns it off. Where the operating system has no user ids or
non-blocking opens (Windows), those checks are skipped, never a crash.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import time

from . import __version__
from .knowledge.folders import MAX_FOLDER_DEPTH, code_files, data_budget_scale, home_folder

FORMAT = 7
MAGIC = b"careerbot-engine-cache\n"
SET_ASIDE_BYTES = 512
"""Bytes values at least this long (encoded tables and entries) are written after the `marshal`
payload, not in it, and loaded as views of the file's bytes: a load copies none of them."""
MAX_CACHE_BYTES = 32_000_000
"""The largest cache file read, for data within the default budget (the shipped data's is 160 kB);
`CAREERBOT_DATA_BUDGET=N` allows N times as much, as it does for the data."""
MAX_TREE_ENTRIES = 4_000
"""Folder entries looked at for a fingerprint (the validation budget's); a folder with more gets no cache."""
RACY_SECONDS = 2
"""A data file changed this recently when a fingerprint is taken has its contents hashed at every
load (until a load refreshes the fingerprint): file systems keep times at a coarse tick (up to 2 s
on some), so a later change could leave every time as it was."""
STALE_AFTER = 600
"""Seconds after which a temporary file in the cache folder is left from a killed build: no build
takes a minute, so it is removed."""
KEPT = 16
"""The most engine caches kept (one for each set of data folders); writing another removes the oldest."""


def cache_folder() -> str | None:
    """`$XDG_CACHE_HOME/careerbot` (when absolute), else `~/.cache/careerbot`; None without a home."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        home = home_folder()
        if home is None:
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "careerbot")


def _ours(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (no user ids to compare on Windows: mode only)."""
    getuid = getattr(os, "getuid", None)
    return (getuid is None or info.st_uid == getuid()) and not info.st_mode & 0o022


def _private_folder(folder: str) -> bool:
    """Whether `folder` is a folder of this user's that no one else may write."""
    try:
        info = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _ours(info)


def enabled() -> bool:
    return os.environ.get("CAREERBOT_NO_CACHE", "") in ("", "0")


def _tree(folder: str) -> list[tuple[str, os.stat_result]] | None:
    """Every data file with its `os.stat`, found as the loader finds them (linked folders followed
    once each, at most `MAX_FOLDER_DEPTH` deep); None for a folder of more entries than validation
    reads (it will say so)."""
    found, visited = [], set()
    stack = [(folder, 0)]
    budget = MAX_TREE_ENTRIES * data_budget_scale()
    while stack:
        path, depth = stack.pop()
        info = os.stat(path)
        if (info.st_dev, info.st_ino) in visited:      # a folder reached again through a link
            continue
        visited.add((info.st_dev, info.st_ino))
        with os.scandir(path) as entries:
            for entry in entries:
                budget -= 1
                if budget < 0:
                    return None
                if entry.is_dir():
                    if depth < MAX_FOLDER_DEPTH:
                        stack.append((entry.path, depth + 1))
                elif entry.name.endswith((".yaml", ".yml")):
                    found.append((entry.path, entry.stat()))
    return sorted(found)


def _stamp(folders: tuple[str, ...]) -> tuple | None:
    """What a cached engine must match, found without reading a data file: the code and Python that
    build it, and each data file's name, size, times and inode, folder by folder (a file changed
    less than `RACY_SECONDS` ago by its name alone: it is hashed at every load). None when it
    cannot be cached."""
    code = code_files()
    recent = time.time_ns() - RACY_SECONDS * 1_000_000_000
    files = []
    for folder in folders:
        found = _tree(folder)
        if found is None:
            return None
        group = []
        for path, info in found:
            if max(info.st_mtime_ns, info.st_ctime_ns) >= recent:
                group.append((path,))
            else:
                group.append((path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
        files.append(tuple(group))
    return (FORMAT, sys.version_info[:3], __version__, tuple(code), tuple(folders)), tuple(files)


def _digest(folders: tuple[str, ...], files: tuple) -> str:
    """A hash of the data files' names and contents (`files` as `_stamp` lists them)."""
    try:
        from _blake2 import blake2b  # hashlib's own: `import hashlib` loads OpenSSL, 4 ms of a cold start
    except ImportError:                # pragma: no cover - a Python built without it
        from hashlib import blake2b
    digest = blake2b(digest_size=16)
    for folder, group in zip(folders, files):
        for path, *_ in group:
            with open(path, "rb") as file:
                data = file.read()
            digest.update(f"{path[len(folder):]}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
            digest.update(data)
    return digest.hexdigest()


def fingerprint(folders: tuple[str, ...]) -> tuple | None:
    """What a cached engine must have been built from to be used: the code and Python that build
    it, its data files' stamps, and the hash of their names and contents (read after the stamps
    were taken); None when it cannot be cached."""
    try:
        stamp = _stamp(folders)
        return None if stamp is None else (*stamp, _digest(folders, stamp[1]))
    except (OSError, ValueError):      # a file that vanished or cannot be read: the loader will say
        return None


def _current(built_from: object, folders: tuple[str, ...]) -> tuple | None:
    """Whether `built_from` (a fingerprint read from a cache) is what `folders` hold now. None when
    it is not; else the fingerprint of now: `built_from` itself, or the same with the data files'
    new stamps when only those changed (their contents were hashed, and are the same)."""
    stamp = _stamp(folders)
    if stamp is None or not isinstance(built_from, tuple) or len(built_from) != 3 or stamp[0] != built_from[0]:
        return None
    files, built_files = stamp[1], built_from[1]
    if files == built_files and all(len(entry) > 1 for group in files for entry in group):
        return built_from              # no file changed since the contents were hashed: not read again
    names = [[entry[0] for entry in group] for group in files]
    if names != [[entry[0] for entry in group] for group in built_files] or _digest(folders, files) != built_from[2]:
        return None
    return built_from if files == built_files else (*stamp, built_from[2])


def _name(folders: tuple[str, ...]) -> str:
    return f"engine-{_fnv1a(repr(folders).encode('utf-8', 'surrogateescape')):08x}.marshal"


def _fnv1a(data: bytes) -> int:
    """The 32-bit FNV-1a hash of `data`: the same in every process (`hash()` is not), and no
    module to import for it."""
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _read(path: str, limit: int) -> bytes | None:
    """The bytes of the regular file at `path`, ours and at most `limit` long; None for anything else.

    Opened without blocking and without following a link: a FIFO would block until someone writes
    to it, and a link could point anywhere. It is checked once open (what was checked is what is read).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or not _ours(info) or info.st_size > limit:
            return None
        # as much as the file holds (asking for `limit` would have a buffer of that size made)
        data = file.read(info.st_size + 1)
    return data if len(data) == info.st_size else None       # not a file changing as it is read


def load(folders: tuple[str, ...]):
    """The cached engine parts for `folders`, or None when there is no trustworthy, current cache."""
    folder = cache_folder()
    if folder is None or not _private_folder(folder):
        return None
    try:
        data = _read(os.path.join(folder, _name(folders)), int(MAX_CACHE_BYTES * data_budget_scale()))
    except OSError:
        return None
    if data is None:
        return None
    try:
        if not data.startswith(MAGIC):
            return None
        view = memoryview(data)        # slices of it copy nothing
        header_size = int.from_bytes(view[len(MAGIC):len(MAGIC) + 4], "big")
        start = len(MAGIC) + 4
        built_from, length, aside = marshal.loads(view[start:start + header_size])
        payload = view[start + header_size:]
        if length != len(payload):
            return None
        now = _current(built_from, folders)
        if now is None:
            return None
        parts, places = marshal.loads(payload)       # the bytes set aside after it are not read
        _put_back(parts, places, payload[aside:])
        if now is not built_from:      # the same contents under new stamps: remember them
            _write(folders, now, payload, aside)
        return parts
    except Exception:          # a corrupt cache is only a slower start: rebuild it
        return None


def store(folders: tuple[str, ...], parts: object) -> None:
    """Write the cache of plain values `parts` for `folders`; any failure (read-only home, full disk,
    a folder that is not the user's own, a value marshal cannot write) is ignored."""
    try:
        built_from = fingerprint(folders)
        if built_from is not None:
            parts = shared(parts)
            aside, places = _set_aside(parts)
            payload = marshal.dumps((parts, places))
            _write(folders, built_from, payload + aside, len(payload))
    except (OSError, ValueError):
        pass


def _set_aside(parts: object) -> tuple[bytes, tuple]:
    """Take the long bytes values (`SET_ASIDE_BYTES`) out of `parts`' dicts and lists, three deep (the
    parts' tables, their encoded tables and entries, and pairs of those), leaving None in their
    place. Returns them one after the other, and where each was: its path (of keys and indexes),
    then its start and end in them."""
    aside: list[bytes | memoryview] = []
    places: list[tuple] = []
    size = 0

    def walk(container, path: tuple, depth: int) -> None:
        nonlocal size
        for key, item in (container.items() if isinstance(container, dict) else enumerate(container)):
            if isinstance(item, (bytes, memoryview)) and len(item) >= SET_ASIDE_BYTES:
                places.append((*path, key, size, size + len(item)))
                aside.append(item)
                size += len(item)
                container[key] = None
            elif depth < 3 and isinstance(item, (dict, list)):
                walk(item, (*path, key), depth + 1)

    walk(parts, (), 0)
    return b"".join(aside), tuple(places)


def _put_back(parts: object, places: tuple, aside: memoryview) -> None:
    """Put each value `_set_aside` took out back in its place, as a view of `aside` (no copy)."""
    for *path, key, start, end in places:
        container = parts
        for step in path:
            container = container[step]
        container[key] = aside[start:end]


def shared(value: object) -> object:
    """`value` with its equal strings, numbers, bytes, tuples and frozensets made one object each,
    which `marshal` then writes once and a load creates once: the shipped engine's tables hold 49,000
    objects, 27,000 of them different, and a load takes a quarter less time. Lists, dicts and sets
    are copied, one copy for each of them: one the tables hold in two places (the weights two
    keywords share) stays one. Nothing is interned (a load would intern each string again, which
    costs more than it saves)."""
    scalars: dict[type, dict] = {kind: {} for kind in (str, int, float, bytes, bool)}   # by type: 1 == 1.0
    containers: dict[tuple, object] = {}
    copies: dict[int, object] = {}          # id of a list, dict or set -> its copy (`value` keeps them alive)

    def each(items) -> list:
        kinds = set(map(type, items))
        same = scalars.get(kinds.pop()) if len(kinds) == 1 else None
        if same is not None:              # all strings, say: no call of ours for each
            return list(map(same.setdefault, items, items))
        return list(map(one, items))

    def one(item: object) -> object:
        kind = type(item)
        if kind is tuple or kind is frozenset:
            items = kind(each(item))
            return containers.setdefault((kind, *map(id, items)), items)    # its items are one object per value
        if kind is list or kind is dict or kind is set:
            copy = copies.get(id(item))
            if copy is None:
                copy = copies[id(item)] = (dict(zip(each(item.keys()), each(item.values()))) if kind is dict
                                           else kind(each(item)))
            return copy
        same = scalars.get(kind)
        return same.setdefault(item, item) if same is not None else item

    return one(value)


def _write(folders: tuple[str, ...], built_from: tuple, payload: bytes | memoryview, aside: int) -> None:
    """Write a cache file atomically, owner-only (the payload's bytes set aside start at `aside`);
    failures are ignored."""
    import tempfile
    folder = cache_folder()
    if folder is None:
        return
    try:
        header = marshal.dumps((built_from, len(payload), aside))
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not _private_folder(folder):
            return
        _remove_stale(folder)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".engine-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(MAGIC + len(header).to_bytes(4, "big") + header)
                file.write(payload)
            os.replace(temporary, os.path.join(folder, _name(folders)))
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError):
        pass


def _remove_stale(folder: str) -> None:
    """Remove temporary files that a build killed mid-write left (a build under way is newer), and
    the oldest caches beyond `KEPT - 1`, to make room for the one about to be written: each set of
    data folders has its own, and a user who tries many would otherwise fill the folder."""
    now = time.time()
    caches = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.name.startswith(".engine-") and entry.name.endswith(".tmp"):
                if now - entry.stat().st_mtime > STALE_AFTER:
                    os.unlink(entry.path)
            elif entry.name.startswith("engine-") and entry.name.endswith(".marshal"):
                caches.append((entry.stat().st_mtime, entry.path))
    for _, path in sorted(caches)[:max(0, len(caches) - (KEPT - 1))]:
        os.unlink(path)


# --- an engine's parts as plain values, and back --------------------------------------------------------

def tables_of(knowledge, matcher, renderer, rules) -> tuple:
    """The compiled parts of an engine as plain values: the knowledge base (`to_plain`), the
    matcher's, the entity extractor's and the renderer's tables, which are plain values already, and
    the dialogue's rules (gathered from every intent: kept, so that a load decodes no intent it does
    not use)."""
    from .knowledge.model import to_plain
    return (to_plain(knowledge), _tables(matcher, "extractor"), _tables(matcher.extractor.gazetteer),
            _tables(matcher.extractor, "gazetteer"), _tables(renderer, "kb"), to_plain(rules))


def _tables(part: object, leave_out: str = "") -> dict:
    """A compiled part's tables (its attributes but `leave_out`, another part), those its class
    declares `Deferred` as `marshal` bytes, decoded when first read."""
    from .knowledge.model import ENCODED_TABLES, deferred_tables
    deferred = deferred_tables(part)
    tables = {name: value for name, value in vars(part).items() if name != leave_out and name not in deferred}
    if deferred:
        tables[ENCODED_TABLES] = {name: getattr(type(part), name).encode(getattr(part, name), shared)
                                  for name in deferred}
    return tables


def parts_of(tables: tuple) -> tuple:
    """The knowledge base, matcher, renderer and dialogue rules that `tables_of` wrote."""
    from .answers.render import Renderer
    from .dialogue.policy import Rules
    from .knowledge.model import from_plain, frozen_map
    from .reading.entities import EntityExtractor, Gazetteer
    from .reading.matcher import Matcher
    plain_knowledge, matcher_tables, gazetteer_tables, extractor_tables, renderer_tables, rules = tables
    knowledge = from_plain(plain_knowledge)
    gazetteer = Gazetteer.__new__(Gazetteer)
    gazetteer.__dict__.update(gazetteer_tables)
    extractor = EntityExtractor.__new__(EntityExtractor)
    extractor.__dict__.update(extractor_tables, gazetteer=gazetteer)
    matcher = Matcher.__new__(Matcher)
    matcher.__dict__.update(matcher_tables, extractor=extractor)
    renderer = Renderer.__new__(Renderer)
    renderer.__dict__.update(renderer_tables, kb=knowledge)
    small_talk, role_topics, level_topics, ends_chat, default_for, which_role, which_role_by_skill = rules
    return knowledge, matcher, renderer, Rules(small_talk, role_topics, level_topics, ends_chat,
                                               frozen_map(default_for), frozen_map(which_role), which_role_by_skill)
