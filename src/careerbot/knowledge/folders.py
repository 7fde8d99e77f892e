"""Where the shipped `intents` and `knowledge` folders are.

A wheel carries them inside the package (`careerbot/data/`); an editable install or a source
checkout has them at the top of the repository, where people edit them. For a package installed
as plain files, `importlib.resources.files("careerbot")` is this package's own folder, so the
folders are found with `os.path` alone: importing `importlib.resources` costs more than a cold
`careerbot ask` may spend. A package that is not plain files (a zip) is read through
`importlib.resources`, without the cache.
"""

from __future__ import annotations

import os

from .._errors import KnowledgeError, Problem

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""The `careerbot` package's own folder."""

MAX_FOLDER_DEPTH = 4
"""Sub-folders deeper than this are not read: the data needs one level, and a link loop would never end."""

DATA_BUDGET = "CAREERBOT_DATA_BUDGET"
"""The environment variable that multiplies what careerbot reads of data folders (see `_loader.Budget`)."""


def data_budget_scale() -> float:
    """`CAREERBOT_DATA_BUDGET` as a number from 1 to a million; 1 when unset or not such a number."""
    try:
        scale = float(os.environ.get(DATA_BUDGET, ""))
    except ValueError:
        return 1.0
    return scale if 1.0 <= scale <= 1e6 else 1.0


def home_folder() -> str | None:
    """The user's home folder, or None when there is none (HOME unset or relative, and no passwd
    entry): then nothing is kept between runs, rather than in a folder literally named `~`."""
    home = os.path.expanduser("~")
    return home if os.path.isabs(home) else None


def shipped_folder(name: str):
    """The shipped folder `name`: a path (str) on disk, or a `Traversable` inside an archive."""
    for candidate in (os.path.join(_PACKAGE, "data", name), os.path.join(_PACKAGE, os.pardir, os.pardir, name)):
        if os.path.isdir(candidate):
            return os.path.normpath(candidate)
    from importlib import resources
    packaged = resources.files("careerbot") / "data" / name
    if packaged.is_dir():
        return packaged
    raise KnowledgeError([Problem(name, None, "the shipped data folder is missing from this installation")])


def code_files() -> list[tuple[str, int, int]]:
    """careerbot's own modules, each with its size and modification time: a cached engine is only
    good for the code that built it. (Read with `os.scandir`, whose entries stat themselves: half
    the time `os.walk` and `os.stat` took, on every cold start.)"""
    found = []
    folders = [_PACKAGE]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    found.append((entry.path, info.st_size, info.st_mtime_ns))
                elif entry.name.isidentifier() and not entry.name.startswith("__") and entry.is_dir():
                    folders.append(entry.path)        # packages only
    return sorted(found)
