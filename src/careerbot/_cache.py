"""A cache of the compiled engine, so that a cold start parses no YAML.

The validated knowledge base and the matcher's tables are pickled into the user's cache folder
(`$XDG_CACHE_HOME/careerbot/`, else `~/.cache/careerbot/`). The cache is an optimisation only:
deleting it changes nothing but speed, and it is never trusted blindly —

- its header holds a fingerprint of what it was built from (the data files' names, sizes and
  modification times, careerbot's own modules, the Python version) and a checksum of the payload;
  a cache that does not match is rebuilt;
- a file that is not owned by the current user, or that others may write, is ignored (unpickling
  someone else's file would run their code);
- it is written atomically (a temporary file, then a rename), owner-only.

`CAREERBOT_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

from ._data import MAX_FOLDER_DEPTH, code_files

FORMAT = 1
MAGIC = b"careerbot-engine-cache\n"


def cache_folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "careerbot")


def enabled() -> bool:
    return os.environ.get("CAREERBOT_NO_CACHE", "") in ("", "0")


def _tree(folder: str) -> list[tuple[str, int, int]]:
    """Name, size and modification time of every data file, found as the loader finds them
    (linked folders followed once each, at most `MAX_FOLDER_DEPTH` deep)."""
    found, visited = [], set()
    stack = [(folder, 0)]
    while stack:
        path, depth = stack.pop()
        real = os.path.realpath(path)
        if real in visited:
            continue
        visited.add(real)
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir():
                    if depth < MAX_FOLDER_DEPTH:
                        stack.append((entry.path, depth + 1))
                elif entry.name.endswith((".yaml", ".yml")):
                    info = entry.stat()
                    found.append((entry.path, info.st_size, info.st_mtime_ns))
    return sorted(found)


def fingerprint(folders: tuple[str, ...]) -> tuple:
    """What a cached engine must have been built from to be used."""
    code = [(path, os.stat(path).st_mtime_ns) for path in code_files()]
    return (FORMAT, sys.version_info[:3], tuple(code), tuple((f, tuple(_tree(f))) for f in folders))


def _path(folders: tuple[str, ...]) -> str:
    name = f"engine-{zlib.crc32(repr(folders).encode()):08x}.pickle"
    return os.path.join(cache_folder(), name)


def load(folders: tuple[str, ...]):
    """The cached engine parts for `folders`, or None when there is no trustworthy, current cache."""
    path = _path(folders)
    try:
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            if info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
            data = file.read()
    except OSError:
        return None
    try:
        if not data.startswith(MAGIC):
            return None
        header_size = int.from_bytes(data[len(MAGIC):len(MAGIC) + 4], "big")
        start = len(MAGIC) + 4
        header = marshal.loads(data[start:start + header_size])
        payload = data[start + header_size:]
        if header != (fingerprint(folders), zlib.crc32(payload)):
            return None
        try:
            from _pickle import loads  # the C unpickler alone: `import pickle` costs a millisecond more
        except ImportError:               # pragma: no cover - Pythons without the C accelerator
            from pickle import loads
        return loads(payload)
    except Exception:          # a corrupt cache is only a slower start: rebuild it
        return None


def store(folders: tuple[str, ...], parts: object) -> None:
    """Write the cache for `folders`; any failure (read-only home, full disk) is ignored."""
    import pickle
    import tempfile
    try:
        payload = pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
        header = marshal.dumps((fingerprint(folders), zlib.crc32(payload)))
        folder = cache_folder()
        os.makedirs(folder, mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".engine-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(MAGIC + len(header).to_bytes(4, "big") + header + payload)
            os.replace(temporary, _path(folders))
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError):
        pass
