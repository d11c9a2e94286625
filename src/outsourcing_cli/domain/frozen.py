"""A small base for immutable value classes, cheaper to define than ``@dataclass(frozen=True)``.

Why not dataclasses: a frozen dataclass generates and ``exec``s its methods when the class is
defined, about 0.6 ms per class. The model alone has thirteen classes, which cost 8-9 ms of
every oscli start-up (measured; see bench/run.py and the README). ``Frozen`` gives the same
behaviour used here, with no code generation:

- fields are the annotated class attributes, parents' first; a class attribute gives the default;
- keyword or positional construction; a missing field without a default is a TypeError;
- assignment after construction raises ``FrozenInstanceError`` (an AttributeError);
- ``==`` and ``hash`` use every field except those named in ``_no_compare``;
- ``replace(**changes)`` returns a changed copy; ``fields()`` lists the field names;
- instances pickle and unpickle (the validated-data cache relies on it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing import Self


class FrozenInstanceError(AttributeError):
    pass


class Frozen:
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _no_compare: ClassVar[tuple[str, ...]] = ()
    _compared: ClassVar[tuple[str, ...]] = ()
    _names: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [
            name
            # (not inspect.get_annotations: importing inspect costs start-up; a class's own dict is exact)
            for name, kind in cls.__dict__.get("__annotations__", {}).items()  # noqa: RUF063
            if not name.startswith("_") and not str(kind).startswith("ClassVar")
        ]
        fields = [name for name in cls._fields if name not in own] + own
        defaults = dict(cls._defaults)
        for name in own:
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
        seen_default = False
        for name in fields:  # as in dataclasses: no required field after one with a default
            if name in defaults:
                seen_default = True
            elif seen_default:
                raise TypeError(f"{cls.__name__}: field '{name}' without a default follows one with a default")
        cls._fields, cls._defaults, cls._names = tuple(fields), defaults, frozenset(fields)
        cls._compared = tuple(name for name in fields if name not in cls._no_compare)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes {len(fields)} arguments, got {len(args)}")
        state = self.__dict__
        state.update(self._defaults)
        state.update(zip(fields, args, strict=False))  # (more args than fields: refused above)
        if kwargs:
            given = fields[: len(args)]
            for name in kwargs:
                if name not in self._names or name in given:
                    state.clear()
                    raise TypeError(f"{type(self).__name__}() got an unexpected or repeated argument '{name}'")
            state.update(kwargs)
        if len(state) != len(fields):
            missing = next(name for name in fields if name not in state)
            state.clear()
            raise TypeError(f"{type(self).__name__}() missing required argument '{missing}'")

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field '{name}'")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field '{name}'")

    def _key(self) -> tuple[Any, ...]:
        state = self.__dict__
        return tuple(state[name] for name in self._compared)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self._key()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={self.__dict__[name]!r}" for name in self._compared)
        return f"{type(self).__name__}({shown})"

    @classmethod
    def trusted(cls, values: dict[str, Any]) -> Self:
        """An instance from values known to name only its fields (the cache's own entries; missing
        ones take their defaults): no checks, for speed."""
        instance = object.__new__(cls)
        state = instance.__dict__
        state.update(cls._defaults)
        state.update(values)
        return instance

    def replace(self, **changes: Any) -> Self:
        values = {name: self.__dict__[name] for name in self._fields}
        values.update(changes)
        return type(self)(**values)

    @classmethod
    def attributes(cls) -> tuple[str, ...]:
        """The names of its fields, in declaration order. (Not ``fields``: the registry's Kind and
        PartSpec have a field of that name.)"""
        return cls._fields
