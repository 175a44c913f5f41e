"""Dataclasses whose methods are written when first called.

``dataclasses.dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``
(and, for a frozen class, ``__setattr__`` and ``__delattr__``) as Python source and compiles it
while the class is made. workerlint defines about 180 dataclasses: a one-file run in its own
process made 130-140 of them and compiled 650-700 methods (60-80 ms, 15-25% of the run), and
called the methods of about half of the classes (``__init__`` of 65-68, ``__repr__`` of one,
``__eq__`` of two; the frozen classes' ``__setattr__`` of none).

``@record`` takes ``dataclass``'s arguments and makes the class ``dataclass`` would make, but
lazily: the fields are processed at once (``fields``, ``replace``, ``asdict``, ``__match_args__``,
slots and ``__doc__`` are there), a frozen class's ``__setattr__``/``__delattr__`` are the
functions below (they need no source), and each other method ``dataclass`` would write is a stub
that, on its first call, has ``dataclass`` write the real method on a shadow class of the same
fields and options, puts it on the class in its own place, and calls it. From then on the class
holds exactly what ``dataclass`` would have given it (tests/test_records.py compares the two
over every option and shape workerlint uses). ``__init__`` waits longer: most records are made
a few times a run, so the stub binds the first ``WRITE_INIT_AFTER`` calls itself, as the
written one would (``_binding_init``), and only then has it written. ``write_all`` writes every
method now: the resident server does, so that a run forked from it compiles none.

Every dataclass in workerlint is a record; a record's dataclass bases must be records too (a
record is made with ``frozen=False`` as far as ``dataclasses`` knows, and checks the frozen rules
itself). ``options`` and ``generated_init`` answer what ``__dataclass_params__`` would.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T", bound=type)

_ORDER = ("__lt__", "__le__", "__gt__", "__ge__")


class Options:
    """The options a record was declared with (what ``__dataclass_params__`` holds for a
    dataclass), and the names of the methods ``dataclass`` writes for it."""

    __slots__ = (
        "eq",
        "frozen",
        "init",
        "methods",
        "order",
        "repr",
        "slots",
        "unsafe_hash",
    )

    def __init__(
        self,
        init: bool,
        repr: bool,
        eq: bool,
        order: bool,
        unsafe_hash: bool,
        frozen: bool,
        slots: bool,
    ) -> None:
        self.init = init
        self.repr = repr
        self.eq = eq
        self.order = order
        self.unsafe_hash = unsafe_hash
        self.frozen = frozen
        # Whether the record has slots: its __init__ then stores the default of a field left
        # out of __init__ too (the class attribute that would hold it is a slot).
        self.slots = slots
        self.methods: frozenset[str] = frozenset()  # the methods dataclass writes for it


_RECORDS: list[type] = []  # every record made, for write_all


@overload
def record(cls: _T, /) -> _T: ...


@overload
def record(
    *,
    init: bool = True,
    repr: bool = True,
    eq: bool = True,
    order: bool = False,
    unsafe_hash: bool = False,
    frozen: bool = False,
    match_args: bool = True,
    kw_only: bool = False,
    slots: bool = False,
) -> Callable[[_T], _T]: ...


@dataclass_transform()
def record(
    cls: type | None = None,
    /,
    *,
    init: bool = True,
    repr: bool = True,
    eq: bool = True,
    order: bool = False,
    unsafe_hash: bool = False,
    frozen: bool = False,
    match_args: bool = True,
    kw_only: bool = False,
    slots: bool = False,
) -> Any:
    """``dataclasses.dataclass`` with the same arguments, its methods written on first call."""

    def wrap(cls: type) -> type:
        return _make(
            cls, Options(init, repr, eq, order, unsafe_hash, frozen, slots), match_args, kw_only
        )

    return wrap if cls is None else wrap(cls)


def options(cls: type) -> Options | None:
    """The options ``cls`` was declared with, if it is a record (not a subclass of one)."""
    found = cls.__dict__.get("__record__")
    return found if isinstance(found, Options) else None


def generated_init(cls: type) -> bool:
    """Whether ``cls.__init__`` is the one ``dataclass`` writes (for a record: now, or once
    first called)."""
    found = options(cls)
    if found is not None:
        return "__init__" in found.methods
    params = getattr(cls, "__dataclass_params__", None)
    init = getattr(cls.__dict__.get("__init__"), "__code__", None)
    return params is not None and params.init and getattr(init, "co_filename", None) == "<string>"


def write_all() -> None:
    """Write every record's methods now (the resident server, before it forks runs)."""
    for cls in list(_RECORDS):
        for name in cls.__record__.methods:  # type: ignore[attr-defined]
            if _is_stub(cls.__dict__.get(name)):
                _write(cls, name)


def is_written(cls: type, name: str) -> bool:
    """Whether the record's method ``name`` is the one ``dataclass`` writes (not yet a stub)."""
    return name in cls.__dict__ and not _is_stub(cls.__dict__[name])


# -- making a record ------------------------------------------------------------------------------


def _make(cls: type, wanted: Options, match_args: bool, kw_only: bool) -> type:
    if wanted.order and not wanted.eq:
        raise ValueError("eq must be true if order is true")
    namespace = dict(cls.__dict__)
    _check_bases(cls, wanted.frozen)
    if wanted.frozen:
        for name in ("__setattr__", "__delattr__"):
            if name in namespace:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
    if wanted.order:
        for name in _ORDER:
            if name in namespace:
                raise TypeError(
                    f"Cannot overwrite attribute {name} in class {cls.__name__}. "
                    "Consider using functools.total_ordering"
                )
    hash_action = _hash_action(cls, namespace, wanted)
    documented = bool(getattr(cls, "__doc__", None))
    if not documented:  # dataclass would read the signature of an __init__ it did not write
        cls.__doc__ = cls.__name__
    made: type = dataclasses.dataclass(  # the fields, match_args, slots: no method written
        cls,
        init=False,
        repr=False,
        eq=False,
        frozen=False,
        match_args=match_args,
        kw_only=kw_only,
        slots=wanted.slots,
    )
    if any(_initvar(f) for f in made.__dataclass_fields__.values()):  # type: ignore[attr-defined]
        raise TypeError(f"the record {cls.__name__} has an InitVar (records have none)")
    methods: set[str] = set()
    if wanted.init and "__init__" not in namespace:
        methods.add("__init__")
    if wanted.repr and "__repr__" not in namespace:
        methods.add("__repr__")
    if wanted.eq and "__eq__" not in namespace:
        methods.add("__eq__")
    if wanted.order:
        methods.update(_ORDER)
    if hash_action == "add":
        methods.add("__hash__")
    elif hash_action == "none":
        made.__hash__ = None  # type: ignore[assignment]
    wanted.methods = frozenset(methods)
    made.__record__ = wanted  # type: ignore[attr-defined]
    for name in sorted(methods):
        setattr(made, name, _stub(made, name))
    if wanted.frozen:
        _freeze(made, cls, wanted.slots)
    if not documented:
        made.__doc__ = made.__name__ + (
            _signature(made) if "__init__" in methods else _own_signature(made)
        )
    _RECORDS.append(made)
    return made


def _initvar(field: dataclasses.Field[Any]) -> bool:
    kind = getattr(dataclasses, "_FIELD_INITVAR", None)
    return kind is not None and getattr(field, "_field_type", None) is kind


def _check_bases(cls: type, frozen: bool) -> None:
    """``dataclass``'s rule: a frozen dataclass has only frozen dataclass bases, and the other
    way round (a record checks it itself: ``dataclasses`` is told every record is not frozen)."""
    any_frozen = False
    has_base = False
    for base in cls.__mro__[-1:0:-1]:
        if not hasattr(base, "__dataclass_fields__"):
            continue
        # As ``dataclass`` reads a base's parameters: inherited, for a plain class between.
        found = getattr(base, "__record__", None)
        if not isinstance(found, Options):
            raise TypeError(f"the record {cls.__name__} derives from a dataclass: {base.__name__}")
        has_base = True
        any_frozen = any_frozen or found.frozen
    if has_base and any_frozen and not frozen:
        raise TypeError("cannot inherit non-frozen dataclass from a frozen one")
    if has_base and not any_frozen and frozen:
        raise TypeError("cannot inherit frozen dataclass from a non-frozen one")


def _hash_action(cls: type, namespace: dict[str, Any], wanted: Options) -> str:
    """What ``dataclass`` does with ``__hash__`` (its table of unsafe_hash, eq, frozen and an
    explicit ``__hash__``): "add" one of the fields, set it to "none", or "keep" it."""
    class_hash = namespace.get("__hash__", dataclasses.MISSING)
    explicit = not (
        class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in namespace)
    )
    if wanted.unsafe_hash:
        if explicit:
            raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
        return "add"
    if wanted.eq and not explicit:
        return "add" if wanted.frozen else "none"
    return "keep"


def _freeze(cls: type, declared: type, with_state: bool) -> None:
    """A frozen dataclass's ``__setattr__`` and ``__delattr__`` as ``dataclass`` writes them
    (naming the class declared: with slots, ``dataclass`` replaces it by a new one) and, with
    slots, its pickling state."""
    names = frozenset(f.name for f in dataclasses.fields(cls))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is declared or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(declared, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is declared or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(declared, self).__delattr__(name)

    for function in (__setattr__, __delattr__):
        function.__qualname__ = f"{cls.__qualname__}.{function.__name__}"
        setattr(cls, function.__name__, function)
    if with_state:
        if "__getstate__" not in cls.__dict__:
            cls.__getstate__ = _getstate  # type: ignore[attr-defined]
        if "__setstate__" not in cls.__dict__:
            cls.__setstate__ = _setstate  # type: ignore[attr-defined]


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for field, value in zip(dataclasses.fields(self), state, strict=False):
        object.__setattr__(self, field.name, value)


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _signature(cls: type) -> str:
    """The text ``dataclass`` gives a class without a docstring after its name: the signature
    of the ``__init__`` it writes."""
    std: list[inspect.Parameter] = []
    keywords: list[inspect.Parameter] = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        default: Any = inspect.Parameter.empty
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = _FACTORY
        kind = (
            inspect.Parameter.KEYWORD_ONLY if f.kw_only else inspect.Parameter.POSITIONAL_OR_KEYWORD
        )
        (keywords if f.kw_only else std).append(
            inspect.Parameter(f.name, kind, default=default, annotation=f.type)
        )
    return str(inspect.Signature([*std, *keywords]))


def _own_signature(cls: type) -> str:
    """The same text for a class whose ``__init__`` is its own (as ``dataclass`` reads it)."""
    try:
        return str(inspect.signature(cls)).replace(" -> None", "")
    except (TypeError, ValueError):
        return ""


# -- writing a method -------------------------------------------------------------------------


# A record's ``__init__`` is written (compiled, ~0.3 ms) on its first call past this many;
# before that, ``_binding_init`` binds each call. Most records are made a few times a run (a
# one-file run: 50 of the 56 classes it made at most 8 times, 29 once), a few thousands of
# times: those pay for the writing, in ~3 us a call saved.
WRITE_INIT_AFTER = 64


def _stub(cls: type, name: str) -> Callable[..., Any]:
    if name == "__init__":
        stub = _binding_init(cls)
    else:

        def stub(self: Any, *args: Any, **kwargs: Any) -> Any:
            return _write(cls, name)(self, *args, **kwargs)

    stub.__name__ = name
    stub.__qualname__ = f"{cls.__qualname__}.{name}"
    stub.__record_stub__ = True  # type: ignore[attr-defined]
    return stub


class _Plan:
    """How ``dataclass``'s ``__init__`` of a record binds a call it accepts, and what it stores."""

    def __init__(self, cls: type) -> None:
        fields = dataclasses.fields(cls)
        self.positional = 0  # how many init fields may come by position (the first ones)
        self.required: list[tuple[str, int]] = []  # (name, position or -1): no default
        self.index: dict[str, int] = {}  # every init field: its position, or -1 (keyword only)
        # In field order, each field the body stores: (name, its position or -1, whether it is
        # an init field, its default, its default factory).
        self.steps: list[tuple[str, int, bool, Any, Any]] = []
        self.valid = True
        seen_default = False
        missing = dataclasses.MISSING
        declared = options(cls)
        assert declared is not None  # a stub is put on a record only (``_make``)
        slots = declared.slots
        self.frozen = declared.frozen
        for f in fields:
            has_default = f.default is not missing or f.default_factory is not missing
            if f.init:
                position = -1
                if not f.kw_only:
                    if has_default:
                        seen_default = True
                    elif seen_default:
                        self.valid = False  # dataclass refuses the class: it says why
                    position = self.positional
                    self.positional += 1
                self.index[f.name] = position
                if not has_default:
                    self.required.append((f.name, position))
                self.steps.append((f.name, position, True, f.default, f.default_factory))
            elif f.default_factory is not missing or (slots and f.default is not missing):
                self.steps.append((f.name, -1, False, f.default, f.default_factory))
            # (else it is not stored: the class attribute holds its default, or it has none)
        self.post_init = hasattr(cls, "__post_init__")

    def accepts(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        """Whether ``dataclass``'s ``__init__`` binds this call without an error."""
        given = len(args)
        if given > self.positional:
            return False
        index = self.index
        for name in kwargs:
            position = index.get(name)
            if position is None or 0 <= position < given:
                return False  # not a field's name, or given twice
        return all(name in kwargs or 0 <= at < given for name, at in self.required)


def _binding_init(cls: type) -> Callable[..., Any]:
    """``cls.__init__`` until it is written: a call ``dataclass``'s ``__init__`` accepts is
    bound as that one binds it (by position, then keyword; defaults and default factories,
    in field order; a frozen record's fields stored with ``object.__setattr__``; then
    ``__post_init__``). Any other call, and every call past ``WRITE_INIT_AFTER``, has the
    ``__init__`` written and goes there (so an error is ``dataclass``'s own)."""
    plan: _Plan | None = None
    calls = 0
    missing = dataclasses.MISSING

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal plan, calls
        calls += 1
        if plan is None:
            plan = _Plan(cls)
        if calls > WRITE_INIT_AFTER or not (plan.valid and plan.accepts(args, kwargs)):
            _write(cls, "__init__")(self, *args, **kwargs)
            return
        store = object.__setattr__ if plan.frozen else setattr
        given = len(args)
        for name, position, init, default, factory in plan.steps:
            if not init:
                value = default if factory is missing else factory()
            elif 0 <= position < given:
                value = args[position]
            elif name in kwargs:
                value = kwargs[name]
            elif default is not missing:
                value = default
            else:
                value = factory()
            store(self, name, value)
        if plan.post_init:
            self.__post_init__()

    return __init__


def _is_stub(value: object) -> bool:
    return getattr(value, "__record_stub__", False) is True


def _write(cls: type, name: str) -> Callable[..., Any]:
    """Have ``dataclass`` write the method ``name`` (and those written with it) of ``cls`` on a
    shadow class of the same fields, with only the options that write them, and put them on
    ``cls``. A frozen class's ``__init__`` is written frozen (it stores each field with
    ``object.__setattr__``)."""
    wanted = options(cls)
    assert wanted is not None
    flags = {"init": False, "repr": False, "eq": False}
    if name == "__init__":
        flags.update(init=True, frozen=wanted.frozen, slots=wanted.slots)
    elif name == "__repr__":
        flags.update(repr=True)
    elif name == "__hash__":
        flags.update(unsafe_hash=True)
    elif name in _ORDER:
        flags.update(eq=True, order=True)
    else:
        flags.update(eq=True)
    shadow = dataclasses.dataclass(_shadow(cls), **flags)  # type: ignore[call-overload]
    for each in _ORDER if name in _ORDER else (name,):  # the order methods come together
        if each in wanted.methods and _is_stub(cls.__dict__.get(each)):
            setattr(cls, each, shadow.__dict__[each])
    method: Callable[..., Any] = cls.__dict__[name]  # this one, or another thread's
    return method


def _shadow(cls: type) -> type:
    """A plain class with ``cls``'s fields (its own and inherited, in order) and names, for
    ``dataclass`` to write methods on."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__annotations__": annotations,
        "__doc__": "-",  # else dataclass reads the signature of what it wrote, for a docstring
    }
    for f in dataclasses.fields(cls):
        annotations[f.name] = f.type
        namespace[f.name] = dataclasses.field(
            default=f.default,
            default_factory=f.default_factory,  # type: ignore[arg-type]
            init=f.init,
            repr=f.repr,
            hash=f.hash,
            compare=f.compare,
            metadata=f.metadata,
            kw_only=f.kw_only,  # type: ignore[arg-type]
        )
    if hasattr(cls, "__post_init__"):
        namespace["__post_init__"] = cls.__post_init__  # the written __init__ calls it
    return type(cls.__name__, (), namespace)
