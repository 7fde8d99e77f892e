"""Unit tests of internals: `Record`, the immutable value type of the knowledge base, answers and plans."""

from __future__ import annotations

import pickle

import pytest

from careerbot._record import Record


class Figure(Record):
    kind: str
    low: int | None = None
    high: int | None = None

    @property
    def span(self) -> int:
        return (self.high or 0) - (self.low or 0)


class LevelFigure(Figure):
    level: str = "entry"


def test_fields_defaults_and_methods():
    """Fields are named in declaration order, defaults fill the rest, methods work."""
    figure = Figure("range", 90, high=120)
    assert (figure.kind, figure.low, figure.high, figure.span) == ("range", 90, 120, 30)
    assert Figure("average") == ("average", None, None)
    assert Figure._fields == ("kind", "low", "high")


def test_records_are_frozen_and_have_no_dict():
    """A record cannot be changed or given new attributes; `_replace` makes a copy."""
    figure = Figure("range", 1, 2)
    with pytest.raises(AttributeError):
        figure.low = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        figure.extra = 1  # type: ignore[attr-defined]
    assert figure._replace(low=0) == Figure("range", 0, 2) and figure.low == 1


def test_value_semantics_and_pickling():
    """Equal values compare and hash equal, and survive pickling (the engine cache)."""
    figure = LevelFigure("level", 1, 2, "senior")
    assert figure == LevelFigure("level", 1, 2, "senior") and hash(figure) == hash(LevelFigure("level", 1, 2, "senior"))
    assert pickle.loads(pickle.dumps(figure)) == figure and type(pickle.loads(pickle.dumps(figure))) is LevelFigure
    assert repr(figure) == "LevelFigure(kind='level', low=1, high=2, level='senior')"


def test_wrong_arguments_are_refused():
    """Missing, extra or unknown values raise TypeError, as for any class."""
    with pytest.raises(TypeError, match="needs a value for 'kind'"):
        Figure()
    with pytest.raises(TypeError, match="at most 3"):
        Figure("a", 1, 2, 3)
    with pytest.raises(TypeError, match="no field 'middle'"):
        Figure("a", middle=1)
    with pytest.raises(TypeError, match="no field 'middle'"):
        Figure("a")._replace(middle=1)
    with pytest.raises(TypeError, match="two values for 'kind'"):
        Figure("a", kind="b")
    assert LevelFigure("level", level="senior") == ("level", None, None, "senior")
