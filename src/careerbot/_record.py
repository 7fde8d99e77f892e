"""`Record`: careerbot's immutable, typed values.

A record is a tuple with named fields, declared like `typing.NamedTuple`:

    class Source(Record):
        id: str
        title: str
        file: str = ""

It is frozen (a tuple), compares and hashes by value, pickles, and has `_replace` to make a changed
copy. Unlike `typing.NamedTuple`, creating the class compiles no code: two dozen named-tuple classes
cost about two milliseconds at import, and a cold `careerbot ask` must start close to the floor of
Python itself.

Why not frozen dataclasses: measured on a cold `careerbot ask` (25 interleaved runs), importing
`dataclasses` (which imports `inspect`, `ast`, `dis`, `tokenize`) and creating the 43 record
classes of the cold path as frozen, slotted dataclasses took 60 ms more of a 100 ms start, on a
busy two-core machine: three times the budget the whole start may exceed Python's own. A record,
like a named tuple, also compares equal to a plain tuple of the same values; nothing in careerbot
compares records with plain tuples.
"""

from operator import itemgetter

try:                # the field accessor `collections.namedtuple` uses: faster than a property to read
    from _collections import _tuplegetter
except ImportError:  # pragma: no cover - Pythons without it
    def _tuplegetter(index, doc):
        return property(itemgetter(index), doc=doc)

_NO_DEFAULT = object()


class _RecordType(type):
    """Turns the annotated names of a class body into fields: defaults collected, read-only
    accessors in their place (as `collections.namedtuple` makes them), and no per-instance `__dict__`."""

    def __new__(mcls, name, bases, namespace, **kwargs):
        names = tuple(n for n in namespace.get("__annotations__", {}) if not n.startswith("_"))
        defaults = tuple(namespace.pop(field, _NO_DEFAULT) for field in names)
        namespace["__slots__"] = ()
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        cls._fields = getattr(cls, "_fields", ()) + names
        cls._defaults = getattr(cls, "_defaults", ()) + defaults
        cls._places = {field: index for index, field in enumerate(cls._fields)}
        for index, field in enumerate(cls._fields):
            setattr(cls, field, _tuplegetter(index, f"field {index}: {field}"))
        return cls


class Record(tuple, metaclass=_RecordType):
    _fields: tuple = ()
    _defaults: tuple = ()          # one per field, _NO_DEFAULT where the field is required
    _places: dict = {}             # field -> its place

    def __new__(cls, *args, **kwargs):
        fields = cls._fields
        if not kwargs:
            if len(args) == len(fields):
                return tuple.__new__(cls, args)
            tail = cls._defaults[len(args):]          # the fields left out take their defaults
            if len(args) < len(fields) and _NO_DEFAULT not in tail:
                return tuple.__new__(cls, args + tail)
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__} takes at most {len(fields)} values, not {len(args)}")
        values = list(args)
        for name, default in zip(fields[len(args):], cls._defaults[len(args):]):
            value = kwargs.pop(name, default)
            if value is _NO_DEFAULT:
                raise TypeError(f"{cls.__name__} needs a value for {name!r}")
            values.append(value)
        if kwargs:
            raise TypeError(f"{cls.__name__} has no field {next(iter(kwargs))!r}")
        return tuple.__new__(cls, values)

    def __getnewargs__(self) -> tuple:
        return tuple(self)

    def _replace(self, **changes):
        """A copy with some fields changed."""
        values = list(self)
        places = self._places
        for name, value in changes.items():
            if name not in places:
                raise TypeError(f"{type(self).__name__} has no field {name!r}")
            values[places[name]] = value
        return tuple.__new__(type(self), values)

    def __repr__(self) -> str:
        pairs = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"{type(self).__name__}({pairs})"
