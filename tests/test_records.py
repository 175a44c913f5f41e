"""workerlint.core.records: a record is the class ``dataclasses.dataclass`` makes, its methods
written when first called. Each shape below is made twice, as a dataclass and as a record, and
every behaviour is compared."""

from __future__ import annotations

import ast
import copy
import dataclasses
import inspect
import json
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_project

from workerlint.core import records
from workerlint.core.records import record

REPO = Path(__file__).resolve().parent.parent

OPTIONS: list[dict[str, bool]] = [
    {},
    {"frozen": True},
    {"eq": False},
    {"frozen": True, "eq": False},
    {"frozen": True, "order": True},
    {"frozen": True, "slots": True},
    {"eq": False, "slots": True},
    {"unsafe_hash": True},
    {"repr": False, "init": False},
    {"kw_only": True, "frozen": True},
]


def _point(decorate: Callable[..., Any], name: str = "Point", **options: bool) -> type:
    """A class of four fields (a default, a factory, one left out of eq, repr and hash), named
    ``name`` at module level (pickle finds it there)."""

    class Point:
        x: int
        y: str = "a"
        tags: list[str] = dataclasses.field(default_factory=list, compare=False)
        label: str = dataclasses.field(default="p", repr=False, hash=False)

    Point.__name__ = Point.__qualname__ = name
    made: type = decorate(**options)(Point)
    globals()[name] = made
    return made


def _outcome(action: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("value", action())
    except Exception as error:  # the same exception type and message
        return (type(error).__name__, str(error))


def _behaviour(cls: type, init: bool) -> list[tuple[str, Any]]:
    if init:
        a, b, c = cls(x=1), cls(x=1, y="b", tags=["t"]), cls(x=1, tags=["other"])
    else:
        a, b, c = cls(), cls(), cls()
        for made, x in ((a, 1), (b, 1), (c, 1)):
            object.__setattr__(made, "x", x)
            object.__setattr__(made, "y", "a")
            object.__setattr__(made, "tags", [])
            object.__setattr__(made, "label", "p")
    found = [
        ("repr", _outcome(lambda: repr(a))),
        ("eq", _outcome(lambda: (a == b, a == c, a == a, a != b, a == 1))),
        ("hash", _outcome(lambda: hash(a) == hash(c))),
        ("lt", _outcome(lambda: (a < b, a <= c))),
        ("set", _outcome(lambda: setattr(a, "x", 5))),
        ("set other", _outcome(lambda: setattr(a, "other", 5))),
        ("del", _outcome(lambda: delattr(a, "y"))),
        (
            "fields",
            [(f.name, f.default, f.compare, f.hash, f.repr) for f in dataclasses.fields(cls)],
        ),
        ("replace", _outcome(lambda: dataclasses.astuple(dataclasses.replace(a, y="z")))),
        ("asdict", _outcome(lambda: dataclasses.asdict(b))),
        ("copy", _outcome(lambda: dataclasses.astuple(copy.deepcopy(b)))),
        ("pickle", _outcome(lambda: dataclasses.astuple(pickle.loads(pickle.dumps(b))))),
        ("match_args", getattr(cls, "__match_args__", None)),
        ("slots", "__slots__" in cls.__dict__),
        ("doc", cls.__doc__),
        ("hashable", cls.__hash__ is None),
    ]
    if init:
        records.write_all()  # a record's signature is its written __init__'s (CONTRIBUTING)
        found.append(("signature", str(inspect.signature(cls))))
        found.append(("too many", _outcome(lambda: cls(1, "b", [], "l", "extra"))))
        found.append(("missing", _outcome(lambda: cls())))
    return found


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "default")
def test_a_record_behaves_as_the_dataclass(options: dict[str, bool]) -> None:
    plain = _point(dataclasses.dataclass, "PlainPoint", **options)
    lazy = _point(record, "LazyPoint", **options)
    init = options.get("init", True)
    expected = _shown(_behaviour(plain, init)).replace("PlainPoint", "Point")
    assert _shown(_behaviour(lazy, init)).replace("LazyPoint", "Point") == expected


def _shown(behaviour: list[tuple[str, Any]]) -> str:
    return re.sub(r" at 0x[0-9a-f]+", "", repr(behaviour))  # object's own repr


def test_a_method_is_a_stub_until_first_called_then_the_dataclass_one() -> None:
    lazy = _point(record, frozen=True)
    for name in ("__init__", "__repr__", "__eq__", "__hash__"):
        assert not records.is_written(lazy, name)
    made = lazy(3)
    assert not records.is_written(lazy, "__init__")  # bound, not written: _binding_init
    for _ in range(records.WRITE_INIT_AFTER):
        lazy(4)
    assert records.is_written(lazy, "__init__")
    assert lazy.__init__.__code__.co_filename == "<string>"  # written by dataclasses
    assert not records.is_written(lazy, "__repr__")
    assert not records.is_written(lazy, "__eq__")
    assert repr(made) == "Point(x=3, y='a', tags=[])"
    assert records.is_written(lazy, "__repr__")
    assert not records.is_written(lazy, "__eq__")


def test_write_all_writes_every_method_of_every_record() -> None:
    lazy = _point(record, frozen=True, order=True)
    records.write_all()
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__lt__", "__ge__"):
        assert records.is_written(lazy, name), name


def test_generated_init_is_what_the_codec_reads_of_a_dataclass() -> None:
    lazy = _point(record, frozen=True)
    assert records.generated_init(lazy)  # a stub now, written by dataclasses when called
    assert records.generated_init(_point(dataclasses.dataclass, frozen=True))

    @record
    class Own:
        x: int

        def __init__(self, x: int) -> None:
            self.x = x

    assert not records.generated_init(Own)
    assert not records.is_written(Own, "__repr__")
    assert repr(Own(1)) == f"{Own.__qualname__}(x=1)"


def test_a_subclass_record_takes_its_bases_fields_and_frozen_rule() -> None:
    @record(frozen=True)
    class Base:
        a: int
        b: int = 2

    @record(frozen=True)
    class Child(Base):
        c: int = 3

    made = Child(1, c=4)
    assert (made.a, made.b, made.c) == (1, 2, 4)
    assert made == Child(1, 2, 4) and made != Base(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'c'"):
        made.c = 5  # type: ignore[misc]
    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):

        @record
        class Thawed(Base):
            d: int = 0

    @dataclasses.dataclass(frozen=True)
    class Plain:
        a: int

    with pytest.raises(TypeError, match="derives from a dataclass: Plain"):

        @record(frozen=True)
        class Mixed(Plain):
            pass


@pytest.mark.parametrize("decorate", [dataclasses.dataclass, record])
def test_a_plain_class_between_two_records_passes_the_frozen_rule_on(decorate: Any) -> None:
    """``dataclass`` reads a base's parameters through a plain class deriving from it: so does
    a record (its options are inherited the same way)."""

    @decorate(frozen=True)
    class Base:
        a: int

    class Between(Base):
        pass

    @decorate(frozen=True)
    class Child(Between):
        b: int = 2

    assert dataclasses.astuple(Child(1)) == (1, 2)
    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):

        @decorate
        class Thawed(Between):
            c: int = 0


def test_post_init_runs_and_explicit_methods_are_kept() -> None:
    seen: list[int] = []

    @record(eq=False)
    class Counted:
        n: int

        def __post_init__(self) -> None:
            seen.append(self.n)

        def __repr__(self) -> str:
            return f"<{self.n}>"

    assert repr(Counted(4)) == "<4>" and seen == [4]
    assert Counted(4) != Counted(4)  # eq=False: identity


def _shape(decorate: Callable[..., Any], seen: list[Any], **options: bool) -> type:
    """Fields of every kind ``__init__`` binds: required, defaulted, a default factory, one
    left out of ``__init__`` with a factory and one with a default, keyword-only ones; each
    ``__post_init__`` noted in ``seen``."""

    class Shape:
        a: int
        b: str = "b"
        c: list[int] = dataclasses.field(default_factory=list)
        d: dict[str, int] = dataclasses.field(default_factory=dict, init=False)
        e: int = dataclasses.field(default=5, init=False)
        f: int = dataclasses.field(kw_only=True)
        g: tuple[int, ...] = dataclasses.field(default=(), kw_only=True)

        def __post_init__(self) -> None:
            seen.append((self.a, self.b))

    return decorate(**options)(Shape)  # type: ignore[no-any-return]


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1,), {"f": 2}),
    ((1, "x", [3]), {"f": 2, "g": (4,)}),
    ((), {"a": 1, "b": "y", "f": 2}),
    ((1,), {"c": [5], "f": 2}),
    ((1, "x", [3], 9), {"f": 2}),  # too many by position (f is keyword-only)
    ((1,), {}),  # a keyword-only field missing
    ((), {"f": 2}),  # a field missing
    ((1,), {"a": 1, "f": 2}),  # given twice
    ((1,), {"f": 2, "d": {}}),  # not an init field
    ((1,), {"f": 2, "z": 0}),  # no such field
]


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"slots": True}, {"eq": False}])
def test_a_record_binds_each_call_as_the_dataclass_written_init(options: dict[str, bool]) -> None:
    """Before its ``__init__`` is written, a record binds a call itself (``_binding_init``):
    the same fields, the same errors (those calls go to the written one), and the same calls
    to the default factories and ``__post_init__``."""
    seen: list[Any] = []
    plain = _shape(dataclasses.dataclass, seen, **options)
    lazy = _shape(record, seen, **options)

    def made(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, Any]:
        def make() -> Any:
            seen.clear()
            instance = cls(*args, **kwargs)
            values = {f.name: getattr(instance, f.name, "unset") for f in dataclasses.fields(cls)}
            return values, list(seen)

        return _outcome(make)

    accepted = [call for call in CALLS if made(plain, *call)[0] == "value"]
    assert len(accepted) == 4
    for args, kwargs in accepted:
        assert made(lazy, args, kwargs) == made(plain, args, kwargs), (args, kwargs)
    first, second = lazy(1, f=2), lazy(1, f=2)
    assert first.c is not second.c and first.d is not second.d  # a factory call each
    assert not records.is_written(lazy, "__init__")  # each of these bound by the record
    for args, kwargs in CALLS:
        assert made(lazy, args, kwargs) == made(plain, args, kwargs), (args, kwargs)
    assert records.is_written(lazy, "__init__")  # a refused call went to the written one


def test_the_written_init_takes_over_after_its_first_calls() -> None:
    lazy = _point(record, frozen=True)
    for number in range(records.WRITE_INIT_AFTER):
        lazy(number)
    assert not records.is_written(lazy, "__init__")
    made = lazy(7, "z")
    assert records.is_written(lazy, "__init__")
    assert (made.x, made.y, made.tags, made.label) == (7, "z", [], "p")


def test_a_field_without_default_after_one_with_is_refused_at_the_first_call() -> None:
    """``dataclass`` refuses such a class when it writes its ``__init__``: a record when first
    called (its binding does not accept what the written one would refuse)."""
    for decorate in (dataclasses.dataclass, record):
        with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

            @decorate
            class Wrong:
                """Documented (a record would read the signature for one)."""

                a: int = 1
                b: int

            Wrong(1, 2)


def test_dataclass_errors_are_the_same() -> None:
    with pytest.raises(ValueError, match="eq must be true if order is true"):
        _point(record, eq=False, order=True)
    with pytest.raises(TypeError, match="Cannot overwrite attribute __setattr__"):

        @record(frozen=True)
        class Frozen:
            x: int

            def __setattr__(self, name: str, value: Any) -> None:
                pass


def _decorators(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = ast.unparse(target)
                if name in ("dataclass", "dataclasses.dataclass"):
                    found.append((node.lineno, node.name))
    return found


def test_every_dataclass_of_workerlint_is_a_record() -> None:
    """A plain dataclass would compile its methods in every run that imports it (and a record
    may not derive from one)."""
    sources = [*(REPO / "workerlint").rglob("*.py"), *(REPO / "rules").rglob("*.py")]
    plain = {
        f"{path.relative_to(REPO)}:{line} {name}"
        for path in sources
        if path.name != "examples.py"  # code to lint, not workerlint's
        for line, name in _decorators(path)
    }
    assert not plain


def test_a_one_file_run_writes_the_methods_it_calls_only(tmp_path: Path) -> None:
    root = tmp_path / "app"
    copy_project(REPO / "fixtures/sample_app", root)
    worker = sorted((root / "app/workers").glob("*.rb"))[0].relative_to(root).as_posix()
    probe = (
        "import json, sys\n"
        "from workerlint.app.cli import main\n"
        f"code = main(['check', {worker!r}, '--no-cache', '--output-format', 'json'])\n"
        "from workerlint.core import records\n"
        "from workerlint.formats.erb import ErbError\n"
        "made = records._RECORDS\n"
        "idle = [c for c in made if not any(records.is_written(c, n) for n in records.options(c).methods)]\n"
        "json.dump({'code': code, 'made': len(made), 'idle': len(idle),\n"
        "           'erb': records.is_written(ErbError, '__init__')}, sys.stderr)\n"
    )
    env = {**os.environ, "NO_COLOR": "1", "PYTHONSAFEPATH": "1"}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seen = json.loads(done.stderr.strip().splitlines()[-1])
    assert seen["code"] == 1  # the sample worker has findings: the file was linted
    assert not seen["erb"]  # no ERB error met, its __init__ never written
    assert seen["made"] > 100
    assert seen["idle"] > seen["made"] // 3  # 71 of 137 when written
