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

_NO_DEFAULT = object()


class _RecordType(type):
    """Turns the annotated names of a class body into fields: defaults collected, read-only
    properties in their place, and no per-instance `__dict__`."""

    def __new__(mcls, name, bases, namespace, **kwargs):
        names = tuple(n for n in namespace.get("__annotations__", {}) if not n.startswith("_"))
        defaults = tuple(namespace.pop(field, _NO_DEFAULT) for field in names)
        namespace["__slots__"] = ()
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        cls._fields = getattr(cls, "_fields", ()) + names
        cls._defaults = getattr(cls, "_defaults", ()) + defaults
        for index, field in enumerate(cls._fields):
            setattr(cls, field, property(itemgetter(index), doc=f"field {index}: {field}"))
        return cls


class Record(tuple, metaclass=_RecordType):
    _fields: tuple = ()
    _defaults: tuple = ()          # one per field, _NO_DEFAULT where the field is required

    def __new__(cls, *args, **kwargs):
        fields = cls._fields
        if not kwargs and len(args) <= len(fields):
            tail = cls._defaults[len(args):]          # the fields left out take their defaults
            if not tail:
                return tuple.__new__(cls, args)
            if _NO_DEFAULT not in tail:
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
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {unknown.pop()!r}")
        return tuple.__new__(type(self), [changes.get(name, value) for name, value in zip(self._fields, self)])

    def __repr__(self) -> str:
        pairs = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"{type(self).__name__}({pairs})"
