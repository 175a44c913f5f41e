"""What one file's lint asked of the project, so that its cached findings are reused exactly.

While a file is linted, the linter hands its rules (and its own gate) recording views
(``Recorder``) of the Ruby and Python indexes, the Sidekiq setup and the Celery setup (through
``CeleryView``): every method call, attribute read and dictionary or set lookup made through
them is noted as a query (plain JSON text: which root, which nested query object, what was
asked, with which arguments) with a canonical digest of the answer. On a later run a file whose
own inputs are unchanged reuses its findings only if every query, asked again of this run's
indexes and setups, gives the same digest (``Replayer``).

Digests are built from a canonical encoding (``canonical``): dataclasses by type and fields,
sets and dictionaries sorted by their encoded items, so a digest is the same in every process
(never a set's iteration order). A value the encoding does not know, or a query whose arguments
cannot be asked again (an object, not plain data), makes the file's record *coarse*: its
findings are then reused only while every indexed file is unchanged (the index fingerprint),
which is what the cache did for every file before.

``tests/test_results_cache.py`` checks that the indexes are read only through a recorder while
a file is linted (``guard``): a new path by which a rule reaches project facts fails there.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import PurePath
from typing import Any

from workerlint.core.digest import content_digest

# Query objects an index hands out whose own methods are recorded (not digested whole).
NESTED = frozenset({"provenance"})
# Methods whose answer depends only on their arguments (which came from recorded answers): not
# recorded, and run with the guard on, so that one reading its index fails the guard test.
PURE = frozenset({"function"})
# Methods that give another index: the record is coarse.
COARSE = frozenset({"with_file"})


_MISSING: Any = object()  # a key an index's dictionary does not hold


class Unencodable(TypeError):
    pass


# A file's facts are large and many answers hold them (a Python ``resolve`` gives its Target
# with the whole module's facts): they are written as a digest of their canonical form, made
# once per object (kept with the object, so that its id is not reused) in this process.
_SUMMARISED = frozenset(
    {"workerlint.lang.python.model.ModuleFacts", "workerlint.lang.ruby.model.FileFacts"}
)
_SUMMARIES: dict[int, tuple[Any, list[str]]] = {}


# The compact JSON of canonical data, and the JSON text that orders a set's or a dictionary's
# items: ``json.dumps`` with these settings, without a new encoder per call (canonical data holds
# no dictionary, so ``sort_keys`` would change nothing).
_compact = json.JSONEncoder(separators=(",", ":")).encode
_sort_text = json.JSONEncoder().encode
_SCALARS = frozenset({bool, int, str, type(None)})  # canonical data as they are


def canonical(value: Any) -> Any:
    """Plain JSON data that equals for equal values in any process (sets sorted)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    encode = _BY_TYPE.get(kind)
    if encode is None:
        encode = _encoder_for(value)
    return encode(value)


def _items(values: Any) -> list[Any]:
    """``[canonical(v) for v in values]``: a scalar as it is, no call of ``canonical`` per item."""
    by_type = _BY_TYPE
    return [
        v if type(v) in _SCALARS else (by_type.get(type(v)) or _encoder_for(v))(v) for v in values
    ]


def _float(value: float) -> Any:
    return ["float", repr(value)]


def _tuple(value: tuple[Any, ...]) -> Any:
    return ["tuple", _items(value)]


def _list(value: list[Any]) -> Any:
    return ["list", _items(value)]


def _set(value: Any) -> Any:
    items = _items(value)
    items.sort(key=_sort_text)
    return ["set", items]


def _dict(value: dict[Any, Any]) -> Any:
    items = [[canonical(k), canonical(v)] for k, v in value.items()]
    items.sort(key=_sort_text)
    return ["dict", items]


_BY_TYPE: dict[type, Callable[[Any], Any]] = {
    float: _float,
    tuple: _tuple,
    list: _list,
    set: _set,
    frozenset: _set,
    dict: _dict,
}


def _encoder_for(value: Any) -> Callable[[Any], Any]:
    """How ``canonical`` encodes a value of this type (kept for the type when that depends on
    the type alone); raises Unencodable."""
    kind = type(value)
    name = f"{kind.__module__}.{kind.__qualname__}"
    encode: Callable[[Any], Any]
    if isinstance(value, enum.Enum):

        def encode(value: Any) -> Any:
            return [name, canonical(value.value)]

    elif isinstance(value, str):  # a str subclass (a Ruby Symbol)

        def encode(value: Any) -> Any:
            return [name, str(value)]

    elif isinstance(value, PurePath):

        def encode(value: Any) -> Any:
            return ["path", value.as_posix()]

    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = tuple(f.name for f in dataclasses.fields(value))
        if name in _SUMMARISED:

            def encode(value: Any) -> Any:
                return _summary(value, name, names)

        else:

            def encode(value: Any) -> Any:
                return [name, _items([getattr(value, n) for n in names])]

    elif value is _MISSING:
        return lambda value: ["<missing>"]
    elif kind.__reduce__ is not object.__reduce__ and isinstance(value.__reduce__(), str):
        # A singleton marker pickled by its global name (NOT_LITERAL, MUTABLE_COLLECTION).
        return lambda value: [f"{kind.__module__}.{value.__reduce__()}"]
    else:
        raise Unencodable(f"cannot encode a {kind.__qualname__}")
    _BY_TYPE[kind] = encode
    return encode


def _summary(value: Any, name: str, names: tuple[str, ...]) -> list[str]:
    """``[name + "#", digest of the value's canonical form]``, made once per object."""
    held = _SUMMARIES.get(id(value))
    if held is not None and held[0] is value:
        return held[1]
    whole = [name, _items([getattr(value, n) for n in names])]
    summary = [f"{name}#", content_digest(_compact(whole).encode())]
    _SUMMARIES[id(value)] = (value, summary)
    return summary


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True)


def digest_of(value: Any) -> str:
    """The canonical digest of an answer; raises Unencodable."""
    kind = type(value)
    if kind in _SCALARS:  # many answers are True, False, None or a name: each digested once
        found = _SCALAR_DIGESTS.get((kind, value))
        if found is None:
            found = _SCALAR_DIGESTS[(kind, value)] = content_digest(_compact(value).encode())
        return found
    return content_digest(_compact(canonical(value)).encode())


_SCALAR_DIGESTS: dict[tuple[type, Any], str] = {}  # (type: True and 1 are equal keys, value)


# Arguments: plain data only, tagged so that they are asked again as they were.
def _encode_arg(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is tuple:
        return {"tuple": [_encode_arg(v) for v in value]}
    if kind is frozenset:
        return {"frozenset": sorted((_encode_arg(v) for v in value), key=_sort_key)}
    raise Unencodable(f"cannot ask again with a {kind.__qualname__}")


def _decode_arg(data: Any) -> Any:
    if data is None or type(data) in (bool, int, str):
        return data
    if isinstance(data, dict) and len(data) == 1:
        ((tag, items),) = data.items()
        if isinstance(items, list):
            if tag == "tuple":
                return tuple(_decode_arg(v) for v in items)
            if tag == "frozenset":
                return frozenset(_decode_arg(v) for v in items)
    raise ValueError("not an argument")


# The guard (tests only): whether a lint is under way, and whether the index is being read by
# a recorder now. A test patches the index classes to fail on a read outside a recorder.
_state = {"linting": 0, "inside": 0}


def guard_violation() -> bool:
    return _state["linting"] > 0 and _state["inside"] == 0


class _Inside:
    def __enter__(self) -> None:
        _state["inside"] += 1

    def __exit__(self, *_: object) -> None:
        _state["inside"] -= 1


class _Outside:
    """Run a pure method with the guard on again (inside a recorder's call)."""

    def __enter__(self) -> None:
        self.saved = _state["inside"]
        _state["inside"] = 0

    def __exit__(self, *_: object) -> None:
        _state["inside"] = self.saved


_INSIDE = _Inside()


class Answers:
    """The digests of queries asked of one pair of indexes in this process (each asked once)."""

    def __init__(self, roots: Mapping[str, object]) -> None:
        self.roots = roots
        self.digests: dict[str, str | None] = {}  # None: the answer cannot be encoded

    def note(self, query: str, answer: Callable[[], Any]) -> str | None:
        if query not in self.digests:
            try:
                self.digests[query] = digest_of(answer())
            except Unencodable:
                self.digests[query] = None
        return self.digests[query]


_ANSWERS: dict[tuple[int, ...], tuple[tuple[object, ...], Answers]] = {}


def answers_for(ruby: object, python: object, setup: object, celery: object) -> Answers:
    """The answers memo of this run's indexes, Sidekiq setup and Celery provider (whose
    ``get()`` gives the CelerySetup) in this process."""
    held = (ruby, python, setup, celery)
    key = tuple(map(id, held))
    found = _ANSWERS.get(key)
    if found is None or any(a is not b for a, b in zip(found[0], held, strict=True)):
        _SUMMARIES.clear()  # a new run: the facts summarised so far are those of earlier ones
        while len(_ANSWERS) >= 4:  # the objects of earlier runs in this process
            del _ANSWERS[next(iter(_ANSWERS))]
        roots = {"rb": ruby, "py": python, "setup": setup, "celery": _Celery(celery)}
        found = _ANSWERS[key] = (held, Answers(roots))
    return found[1]


class _Celery:
    """The Celery provider's setup as a root of queries (built on first use)."""

    def __init__(self, provider: Any) -> None:
        self.provider = provider

    def __getattr__(self, name: str) -> Any:
        if self.provider is None:
            from workerlint.project.frameworks.celery.model import CelerySetup

            return getattr(CelerySetup(), name)
        return getattr(self.provider.get(), name)


class CeleryView:
    """What a file context holds as its Celery provider: ``get()`` gives a recording view."""

    def __init__(self, record: Record, answers: Answers) -> None:
        self.record = record
        self.setup = answers.roots["celery"]

    def get(self) -> Any:
        return Recorder(self.setup, self.record, "celery")


class Record:
    """What one file's lint asked: queries with their digests, and the setups it read."""

    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self.queries: dict[str, str] = {}
        self.coarse = False

    def ask(self, query: str, answer: Callable[[], Any]) -> None:
        digest = self.answers.note(query, answer)
        if digest is None:
            self.coarse = True
        else:
            self.queries[query] = digest

    def data(self) -> dict[str, Any]:
        return {"q": sorted(self.queries.items()), "coarse": self.coarse}

    def __enter__(self) -> Record:
        _state["linting"] += 1
        return self

    def __exit__(self, *_: object) -> None:
        _state["linting"] -= 1


def _query(root: str, path: tuple[str, ...], op: str, name: str, args: list[Any]) -> str:
    return _compact([root, list(path), op, name, args])


class Recorder:
    """A recording view of an index (or a query object it hands out)."""

    def __init__(self, target: Any, record: Record, root: str, path: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_record", record)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_path", path)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("an index is read only while a file is linted")

    def __getattr__(self, name: str) -> Any:
        target, record, root, path = self._target, self._record, self._root, self._path
        _state["inside"] += 1  # what ``with _INSIDE`` does, without its two calls
        try:
            value = getattr(target, name)
        finally:
            _state["inside"] -= 1
        if name in NESTED and not path:
            return Recorder(value, record, root, (*path, name))
        if callable(value):
            return self._method(name, value)
        if isinstance(value, dict):
            return RecordingMapping(
                value,
                record,
                _query(root, path, "item", name, []),
                _query(root, path, "has", name, []),
            )
        if isinstance(value, (set, frozenset)):
            return RecordingSet(value, record, _query(root, path, "has", name, []))
        record.ask(_query(root, path, "attr", name, []), lambda: value)
        return value

    def _method(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        record, root, path = self._record, self._root, self._path

        if name in PURE:

            def pure(*args: Any, **kwargs: Any) -> Any:
                with _INSIDE, _Outside():
                    return method(*args, **kwargs)

            return pure

        def call(*args: Any, **kwargs: Any) -> Any:
            _state["inside"] += 1
            try:
                answer = method(*args, **kwargs)
            finally:
                _state["inside"] -= 1
            if name in COARSE:
                record.coarse = True
                return answer
            try:
                encoded = [_encode_arg(a) for a in args]
                if kwargs:
                    encoded.append({"kw": {k: _encode_arg(v) for k, v in sorted(kwargs.items())}})
            except Unencodable:
                record.coarse = True
                return answer
            record.ask(_query(root, path, "call", name, encoded), lambda: answer)
            return answer

        return call


class _Recorded:
    """A collection of an index seen through a record: its size and its whole content are
    queries of their own (a key's lookup is the subclass's)."""

    def __init__(self, target: Any, record: Record, query: str) -> None:
        self._target = target
        self._record = record
        self._query = query  # the attribute's query; a key's adds the key

    def _whole(self) -> Any:
        self._record.ask(f"{self._query}\0*", lambda: self._target)
        return self._target

    def __iter__(self) -> Iterator[Any]:
        return iter(self._whole())

    def __len__(self) -> int:
        size = len(self._target)
        self._record.ask(f"{self._query}\0#", lambda: size)
        return size

    def _member(self, query: str, key: object) -> bool:
        """Whether ``key`` is in the collection, asked as ``query`` with the key: answered
        with a bool (the key's value, if any, is not digested)."""
        try:
            encoded = _encode_arg(key)
        except Unencodable:
            self._record.coarse = True
            return key in self._target
        found = key in self._target
        self._record.ask(f"{query}\0{json.dumps(encoded)}", lambda: found)
        return found


class RecordingMapping(_Recorded, Mapping[Any, Any]):
    """A dictionary of an index: each key looked up is a query; iterating it asks for all.
    Whether it holds a key is a query of its own (``presence``: the attribute's membership
    query), answered with a bool: its value is not digested (a module's facts, for ``relpath
    in index.files``)."""

    _target: dict[Any, Any]

    def __init__(
        self, target: Any, record: Record, query: str, presence: str | None = None
    ) -> None:
        super().__init__(target, record, query)
        self._presence = presence  # None: a key's presence is asked as its lookup

    def _item(self, key: Any) -> Any:
        try:
            encoded = _encode_arg(key)
        except Unencodable:
            self._record.coarse = True
            return self._target.get(key, _MISSING)
        found = self._target.get(key, _MISSING)
        self._record.ask(f"{self._query}\0{json.dumps(encoded)}", lambda: found)
        return found

    def __getitem__(self, key: Any) -> Any:
        found = self._item(key)
        if found is _MISSING:
            raise KeyError(key)
        return found

    def get(self, key: Any, default: Any = None) -> Any:
        found = self._item(key)
        return default if found is _MISSING else found

    def __contains__(self, key: object) -> bool:
        if self._presence is None:
            return self._item(key) is not _MISSING
        return self._member(self._presence, key)

    def __eq__(self, other: object) -> bool:
        return self._whole() == other

    __hash__ = None  # type: ignore[assignment]

    def __or__(self, other: Any) -> Any:
        return self._whole() | other

    def __ror__(self, other: Any) -> Any:
        return other | self._whole()


def _whole_operator(name: str) -> Callable[..., Any]:
    def operator(self: RecordingSet, *args: Any) -> Any:
        return getattr(self._whole(), name)(*args)

    operator.__name__ = name
    return operator


class RecordingSet(_Recorded):
    """A set of an index: each membership test is a query; anything else asks for all."""

    _target: set[Any] | frozenset[Any]

    def __contains__(self, key: object) -> bool:
        return self._member(self._query, key)

    def __bool__(self) -> bool:
        return len(self) > 0

    __hash__ = None  # type: ignore[assignment]

    def __getattr__(self, name: str) -> Any:  # issubset, union, ...
        return getattr(self._whole(), name)


# Operators with another set: the whole set is asked for (the reflected ones included, so that
# ``frozenset & recorded`` works).
for _name in ("and", "or", "sub", "xor", "rand", "ror", "rsub", "rxor", "eq", "ne", "le",
              "lt", "ge", "gt"):  # fmt: skip
    setattr(RecordingSet, f"__{_name}__", _whole_operator(f"__{_name}__"))


class Replayer:
    """Asks a stored record's queries again of this run's indexes (each query once per run)."""

    def __init__(self, answers: Answers) -> None:
        self.answers = answers

    def holds(self, queries: Any) -> bool:
        """Whether every stored (query, digest) pair gives the same digest now."""
        if not isinstance(queries, list):
            return False
        for pair in queries:
            if not (isinstance(pair, list) and len(pair) == 2):
                return False
            query, digest = pair
            if not (isinstance(query, str) and isinstance(digest, str)):
                return False
            if query not in self.answers.digests:
                try:
                    self.answers.note(query, lambda q=query: self._ask(q))
                except Exception:  # a query this index cannot answer (forged or stale)
                    self.answers.digests[query] = None
            if self.answers.digests[query] != digest:
                return False
        return True

    def _ask(self, query: str) -> Any:
        head, _, key = query.partition("\0")
        root, path, op, name, args = json.loads(head)
        target = self.answers.roots[root]
        for step in path:
            if step not in NESTED:
                raise ValueError("not a query object")
            target = getattr(target, step)
        if name.startswith("__"):
            raise ValueError("not a query")
        value = getattr(target, name)
        if op == "call":
            positional = [a for a in args if not (isinstance(a, dict) and "kw" in a)]
            keywords = next((a["kw"] for a in args if isinstance(a, dict) and "kw" in a), {})
            return value(*map(_decode_arg, positional),
                         **{k: _decode_arg(v) for k, v in keywords.items()})  # fmt: skip
        if op == "attr":
            return value
        if key == "*":
            return value
        if key == "#":
            return len(value)
        wanted = _decode_arg(json.loads(key))
        if op == "item":
            return value.get(wanted, _MISSING)
        if op == "has":
            return wanted in value
        raise ValueError("not a query")
