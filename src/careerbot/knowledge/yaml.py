"""Safe YAML reading that remembers where every value came from.

Knowledge and intent files are data, never code: only the safe constructors run, anchors and
aliases are refused (they are how "billion laughs" bombs are built), so is nesting deeper than any
data file needs (construction recurses, and a 2 KB file of brackets would exhaust Python's stack),
and oversized files are refused before they are read in full. Mappings and sequences come back
as `Located` containers that know the line of each key or item, so validation can say
`file:line: message`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.reader import ReaderError
from yaml.resolver import Resolver

from .._errors import Problem

MAX_FILE_BYTES = 2_000_000
"""The largest data file read. The shipped files are a few kilobytes each."""

MAX_DEPTH = 32
"""The deepest nesting of mappings and lists accepted. The shipped files nest 8 deep at most."""

MAX_NUMBER_CHARS = 30
"""The longest number written in a data file. Python refuses to read integers of more than 4,300
digits (a ValueError), and no figure careerbot keeps needs more than a dozen."""


class LocatedDict(dict):
    """A mapping read from YAML, with the line of the mapping and of each key's value."""

    line: int = 0
    lines: dict

    def line_of(self, key: object) -> int:
        return self.lines.get(key, self.line)


class LocatedList(list):
    """A sequence read from YAML, with the line of the sequence and of each item."""

    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class _LocatedConstructor(SafeConstructor):
    def construct_located_map(self, node: yaml.MappingNode):
        data = LocatedDict()
        data.line = node.start_mark.line + 1
        data.lines = {}
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise ConstructorError(None, None, "a key must be a plain word", key_node.start_mark)
            if key in data:
                raise ConstructorError(None, None, f"the key {key!r} appears twice", key_node.start_mark)
            data[key] = self.construct_object(value_node, deep=True)
            data.lines[key] = value_node.start_mark.line + 1

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise ConstructorError(None, None, f"a number of {len(node.value):,} characters is longer than the "
                                               f"{MAX_NUMBER_CHARS} a data file may hold", node.start_mark)
        return self.construct_yaml_int(node)

    def construct_located_seq(self, node: yaml.SequenceNode):
        data = LocatedList()
        data.line = node.start_mark.line + 1
        data.lines = []
        yield data
        for item_node in node.value:
            data.append(self.construct_object(item_node, deep=True))
            data.lines.append(item_node.start_mark.line + 1)


_LocatedConstructor.add_constructor("tag:yaml.org,2002:map", _LocatedConstructor.construct_located_map)
_LocatedConstructor.add_constructor("tag:yaml.org,2002:seq", _LocatedConstructor.construct_located_seq)
_LocatedConstructor.add_constructor("tag:yaml.org,2002:int", _LocatedConstructor.construct_bounded_int)

if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser as _Parser

    _POSITIONS_IN_BYTES = True    # libyaml counts a reader error's position in bytes of the UTF-8 text

    class _Loader(_Parser, _LocatedConstructor, Resolver):
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            _LocatedConstructor.__init__(self)
            Resolver.__init__(self)

else:  # pragma: no cover - exercised only where PyYAML was built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    _POSITIONS_IN_BYTES = False

    class _Loader(Reader, Scanner, Parser, Composer, _LocatedConstructor, Resolver):
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            _LocatedConstructor.__init__(self)
            Resolver.__init__(self)


class YamlProblem(Exception):
    """A file could not be read as safe YAML; carries the `Problem` to report."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _check_nodes(root: yaml.Node, display: str) -> None:
    """Refuse documents that reuse a node (aliases multiply on construction) or nest too deep
    (construction recurses once per level). Walks without recursion, so any document is safe."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise YamlProblem(Problem(display, node.start_mark.line + 1,
                                      "anchors and aliases (&name, *name) are not allowed in data files"))
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlProblem(Problem(display, node.start_mark.line + 1,
                                      f"the data is nested more than {MAX_DEPTH} levels deep, deeper than "
                                      "any data file needs"))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def count_nodes(data: bytes, limit: int) -> int:
    """How many values (scalars, lists, mappings, aliases) `data` holds, counted from the parser's
    events without building any, and no further than `limit` + 1. Text that is not YAML counts as
    far as it parses: `parse_yaml` then says what is wrong with it."""
    try:
        loader = _Loader(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return 0
    count = 0
    try:
        while count <= limit and loader.check_event():
            if isinstance(loader.get_event(), _VALUE_EVENTS):
                count += 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return count


_VALUE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def read_limited(open_binary: Callable[[], BinaryIO], display: str, size: int | None = None) -> bytes:
    """The bytes of a data file, reading at most `MAX_FILE_BYTES` + 1 of them: a huge file (or an
    endless one, such as a link to /dev/zero) is refused without being read in full.

    `open_binary` opens the file for reading bytes; `size`, when known, is quoted in the problem.
    """
    try:
        with open_binary() as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise YamlProblem(Problem(display, None, f"the file cannot be read ({error.strerror or error})")) from None
    if len(data) > MAX_FILE_BYTES:
        actual = f"{size:,} bytes" if size and size > MAX_FILE_BYTES else f"over {MAX_FILE_BYTES:,} bytes"
        raise YamlProblem(Problem(display, None, f"the file is {actual}; data files may be at most "
                                                 f"{MAX_FILE_BYTES:,}"))
    return data


def _one_line(text: str) -> str:
    return " ".join(text.split())


def parse_yaml(data: bytes, display: str) -> object:
    """Parse one YAML document from `data`; `display` names the file in problems."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem(Problem(display, None,
                                  f"the file is {len(data):,} bytes; data files may be at most {MAX_FILE_BYTES:,}"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise YamlProblem(Problem(display, data[:error.start].count(b"\n") + 1,
                                  f"the file is not UTF-8 text ({error.reason} at byte {error.start:,})")) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, display)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # an error found at the end of the text is on its last line, not on the empty one after it
        line = min(mark.line + 1, text.count("\n") + (not text.endswith("\n")) or 1) if mark else None
        message = _one_line(" ".join(part for part in (error.context, error.problem) if part))
        if "could not determine a constructor" in message:
            message = "tags such as !!python/object are not allowed in data files: " + message
        raise YamlProblem(Problem(display, line, f"YAML error: {message}")) from None
    except ReaderError as error:
        before = data[:error.position] if _POSITIONS_IN_BYTES else text[:error.position].encode("utf-8")
        line = before.count(b"\n") + 1
        raise YamlProblem(Problem(display, line, f"YAML error: the character U+{error.character:04X} is not "
                                                 f"allowed in YAML text ({error.reason})")) from None
    except yaml.YAMLError as error:
        raise YamlProblem(Problem(display, None, f"YAML error: {_one_line(str(error))}")) from None
    except RecursionError:    # only the pure-Python composer recurses before `_check_nodes` can look
        raise YamlProblem(Problem(display, None, f"the data is nested more than {MAX_DEPTH} levels deep, "
                                                 "deeper than any data file needs")) from None
    finally:
        loader.dispose()
