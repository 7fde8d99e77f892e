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
    accessors in their place (as `collections.namedtuple` makes them), and no per-instance `__dict__`.
    Everything goes into the class body before the class is made (setting attributes on a class
    afterwards costs more: a cold start makes some forty record classes)."""

    def __new__(mcls, name, bases, namespace, **kwargs):
        parent = next((base for base in bases if isinstance(base, _RecordType)), None)
        names = tuple(n for n in namespace.get("__annotations__", {}) if not n.startswith("_"))
        fields = (parent._fields if parent else ()) + names
        defaults = (parent._defaults if parent else ()) + tuple(namespace.pop(n, _NO_DEFAULT) for n in names)
        least = len(fields)                # the fewest values that leave only defaults to fill
        while least and defaults[least - 1] is not _NO_DEFAULT:
            least -= 1
        namespace.update(__slots__=(), _fields=fields, _defaults=defaults, _size=len(fields), _least=least,
                         _places={field: index for index, field in enumerate(fields)})
        for index, field in enumerate(names, len(fields) - len(names)):
            namespace[field] = _tuplegetter(index, f"field {index}: {field}")
        return super().__new__(mcls, name, bases, namespace, **kwargs)


class Record(tuple, metaclass=_RecordType):
    _fields: tuple = ()
    _defaults: tuple = ()          # one per field, _NO_DEFAULT where the field is required
    _places: dict = {}             # field -> its place
    _size: int = 0                 # the number of fields
    _least: int = 0                # the fewest values given by place that need no keyword

    def __new__(cls, *args, **kwargs):
        given = len(args)
        if not kwargs:
            if given == cls._size:
                return tuple.__new__(cls, args)
            if cls._least <= given < cls._size:
                return tuple.__new__(cls, args + cls._defaults[given:])
        if given > cls._size:
            raise TypeError(f"{cls.__name__} takes at most {cls._size} values, not {given}")
        values = [*args, *cls._defaults[given:]]
        places = cls._places
        for name, value in kwargs.items():
            place = places.get(name, -1)
            if place < given:
                raise TypeError(f"{cls.__name__} has no field {name!r}" if place < 0 else
                                f"{cls.__name__} got two values for {name!r}")
            values[place] = value
        if _NO_DEFAULT in values:
            raise TypeError(f"{cls.__name__} needs a value for {cls._fields[values.index(_NO_DEFAULT)]!r}")
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
