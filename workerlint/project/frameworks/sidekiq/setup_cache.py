"""The Sidekiq setup's costly parts kept as data between runs (``.workerlint_cache/setup.json``).

A run still asks the file system every question the setup asks (so what it reads is recorded as
before: app/results_cache.py keys on it); what is kept is what it computes from the answers:

- each YAML file's loaded document (``formats/yaml.py``: ERB rendered, composed, positions),
  keyed by the digest of its bytes and the ``--env`` variables (the ERB evaluator reads nothing
  else). A stored document is decoded once per run and given to ``load_yaml``'s memo, so every
  reader of the file in the run shares its nodes (they compare by identity); aliases stay one
  node;
- what the Ruby configuration says (``sidekiq_ruby.RubyConfig``), keyed by the ordered paths
  and digests of the configuration files that can say anything and the ``--env`` variables, and
  used only while the project constants it asked about still have the values it was given
  (the same inputs and answers: the same reading).

Data only: JSON through core/cache.py (never trusted when git tracks it, a symbolic link,
written by another version, or damaged), every entry checked against its shape when decoded (a
bad entry is recomputed): the dataclasses through project/codec.py, the YAML nodes through a
table of their own (an alias stays one node). An entry is stored only when it decodes back to
what was computed. The file keeps the entries the last run used; it is rewritten (atomically)
when they change.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from workerlint.core import cache as cache_mod
from workerlint.core.digest import content_digest
from workerlint.formats.erb import Rendered, Status
from workerlint.formats.yaml import (
    YamlDoc,
    YamlError,
    YamlResult,
    YNode,
    load_yaml,
    loaded,
    remember,
)
from workerlint.project import codec
from workerlint.project.frameworks.sidekiq.sidekiq_ruby import ConstantLookup, RubyConfig

CACHE_FILE = "setup.json"
_SHAPE = "sidekiq-setup-2"  # 2: dataclasses encoded by project/codec.py
_KINDS = ("yaml", "ruby")
_STATUSES = ("known", "default", "unknown")
_NODE_KINDS = ("scalar", "mapping", "sequence")


class _Bad(ValueError):
    """An entry of another shape than the one it should have."""


class SetupCache:
    """The stored YAML documents and Ruby configuration of one project, read once per run."""

    def __init__(self, root: Path, tool: str, enabled: bool = True) -> None:
        self.path = cache_mod.folder(root) / CACHE_FILE
        self.tool = tool
        self.enabled = enabled
        self._stored = self._load() if enabled else {kind: {} for kind in _KINDS}
        self._used: dict[str, dict[str, Any]] = {kind: {} for kind in _KINDS}
        # What this run took from the cache, and what it computed (for tests and --verbose).
        self.hits: list[str] = []
        self.misses: list[str] = []

    def _header(self) -> dict[str, object]:
        return {"format": cache_mod.FORMAT, "tool": self.tool, "shape": _SHAPE}

    def _load(self) -> dict[str, dict[str, Any]]:
        empty: dict[str, dict[str, Any]] = {kind: {} for kind in _KINDS}
        if not self.path.is_file():
            return empty
        try:
            payload = cache_mod.read(self.path, self._header())
        except cache_mod.CacheError:
            return empty
        if not isinstance(payload, dict) or set(payload) != set(_KINDS):
            return empty
        if not all(isinstance(payload[kind], dict) for kind in _KINDS):
            return empty
        return payload

    def save(self) -> None:
        """Keep the entries this run used (only when they differ from the stored ones)."""
        if self.enabled and self._used != self._stored:
            cache_mod.write(self.path, self._header(), self._used)
            self._stored = {kind: dict(entries) for kind, entries in self._used.items()}

    # -- YAML -----------------------------------------------------------------------------------

    def prime_yaml(self, data: bytes, env: Mapping[str, str]) -> None:
        """Make ``load_yaml(data, env)`` give the stored document (decoded now), or load it and
        store it."""
        key = _digest("yaml", content_digest(data), sorted(env.items()))
        done = loaded(data, env)
        stored = self._stored["yaml"].get(key)
        if done is None and stored is not None:
            try:
                result = decode_yaml(stored)
            except (_Bad, codec.DecodeError, RecursionError):
                result = None
            if result is not None:
                remember(data, env, result)
                self._used["yaml"][key] = stored
                self.hits.append("yaml")
                return
        result = done or load_yaml(data, env)
        if done is None:
            self.misses.append("yaml")
        encoded = _checked(result, encode_yaml, decode_yaml)
        if encoded is not None:
            self._used["yaml"][key] = encoded

    # -- Ruby configuration ---------------------------------------------------------------------

    def ruby(
        self,
        files: Sequence[tuple[str, bytes]],
        env: Mapping[str, str],
        constant: ConstantLookup,
        build: Callable[[ConstantLookup], RubyConfig],
    ) -> RubyConfig:
        """The configuration ``build`` reads from ``files`` (project-relative path and bytes, in
        Rails' load order), stored or built now (``constant``: the project's constants)."""
        key = _digest(
            "ruby", sorted(env.items()), [[rel, content_digest(data)] for rel, data in files]
        )
        stored = self._stored["ruby"].get(key)
        if stored is not None:
            try:
                found = _stored_ruby(stored, constant)
            except (_Bad, codec.DecodeError, RecursionError, TypeError):
                found = None
            if found is not None:
                self._used["ruby"][key] = stored
                self.hits.append("ruby")
                return found
        asked: dict[str, Any] = {}
        unkept: list[str] = []

        def recording(name: str) -> object:
            answer = constant(name)
            try:
                asked.setdefault(name, codec.encode(answer, object))
            except TypeError:
                unkept.append(name)
            return answer

        config = build(recording)
        self.misses.append("ruby")
        encoded = _checked(config, lambda c: codec.encode(c, RubyConfig), _decode_config)
        if encoded is not None and not unkept:
            self._used["ruby"][key] = [[[name, answer] for name, answer in asked.items()], encoded]
        return config


def _digest(*parts: object) -> str:
    return content_digest(json.dumps(parts, separators=(",", ":")).encode())


def _checked(value: Any, encode: Callable[[Any], Any], decode: Callable[[Any], Any]) -> Any:
    """``value`` encoded, when its encoding decodes to what encodes the same (else None: not
    kept, computed again next time)."""
    try:
        encoded = encode(value)
        text = json.dumps(encoded, separators=(",", ":"), ensure_ascii=False)
        if encode(decode(json.loads(text))) != encoded:
            return None
    except (TypeError, ValueError, RecursionError):
        return None
    return encoded


def _stored_ruby(stored: Any, constant: ConstantLookup) -> RubyConfig | None:
    """The stored configuration while every constant it read has the value it had then."""
    if not isinstance(stored, list) or len(stored) != 2 or not isinstance(stored[0], list):
        raise _Bad("a Ruby entry is [constants, config]")
    for pair in stored[0]:
        if not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[0], str):
            raise _Bad("a constant is [name, value]")
        if codec.encode(constant(pair[0]), object) != pair[1]:
            return None
    return _decode_config(stored[1])


def _decode_config(data: Any) -> RubyConfig:
    return codec.decode(data, RubyConfig)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# Checked scalars


def _int(value: Any) -> int:
    if type(value) is not int:
        raise _Bad("expected an integer")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise _Bad("expected a string")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _status(value: Any) -> Status:
    if value not in _STATUSES:
        raise _Bad("expected a status")
    return value  # type: ignore[no-any-return]


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Bad("expected a list")
    return tuple(_str(v) for v in value)


def _list(value: Any, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise _Bad("expected a list" if length is None else f"expected a list of {length}")
    return value


# ---------------------------------------------------------------------------------------------
# YAML documents: nodes in a table (children before parents), so a node reached twice (an
# alias) is one node again when decoded.


def encode_yaml(result: YamlResult) -> Any:
    if isinstance(result, YamlError):
        return {"error": codec.encode(result, YamlError)}
    table: list[Any] = []
    index: dict[int, int] = {}

    def node(n: YNode) -> int:
        if id(n) in index:
            return index[id(n)]
        if n.kind == "mapping":
            value: Any = [[node(k), node(v)] for k, v in n.value]
        elif n.kind == "sequence":
            value = [node(item) for item in n.value]
        else:
            value = codec.encode(n.value, object)
        table.append(
            [
                n.kind,
                value,
                n.tag,
                n.style,
                n.start,
                n.end,
                n.line,
                n.column,
                n.status,
                list(n.variables),
                n.anchor,
            ]
        )
        index[id(n)] = len(table) - 1
        return index[id(n)]

    root = None if result.root is None else node(result.root)
    rendered = codec.encode(result.rendered, Rendered | None)
    return {"doc": [table, root, rendered, result.unknown_reason]}


def decode_yaml(data: Any) -> YamlResult:
    if not isinstance(data, dict) or len(data) != 1:
        raise _Bad("a YAML entry is an object of one key")
    if "error" in data:
        return codec.decode(data["error"], YamlError)  # type: ignore[no-any-return]
    table, root, rendered, reason = _list(data.get("doc"), 4)
    nodes: list[YNode] = []
    for row in _list(table):
        kind, value, tag, style, start, end, line, column, status, variables, anchor = _list(
            row, 11
        )
        if kind not in _NODE_KINDS:
            raise _Bad("a node's kind")
        if kind == "mapping":
            pairs = [_list(pair, 2) for pair in _list(value)]
            decoded: Any = tuple((_child(nodes, k), _child(nodes, v)) for k, v in pairs)
        elif kind == "sequence":
            decoded = tuple(_child(nodes, item) for item in _list(value))
        else:
            decoded = codec.decode(value, object)
        nodes.append(
            YNode(
                kind,
                decoded,
                _str(tag),
                _opt_str(style),
                _int(start),
                _int(end),
                _int(line),
                _int(column),
                _status(status),
                _strs(variables),
                _opt_str(anchor),
            )
        )
    return YamlDoc(
        None if root is None else _child(nodes, root),
        codec.decode(rendered, Rendered | None),
        _opt_str(reason),
    )


def _child(nodes: list[YNode], index: Any) -> YNode:
    """A node decoded before the one that refers to it (so no cycle can be built)."""
    if type(index) is not int or not 0 <= index < len(nodes):
        raise _Bad("a node refers to no earlier node")
    return nodes[index]
