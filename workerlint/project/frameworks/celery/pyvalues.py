"""Values of Python configuration code (settings modules, ``celeryconfig.py``, ``app.conf``):
each a ``formats.values.Value`` with its source, never evaluated by running anything.

PYTHON.md §9 "Known values": literals (and ``60 * 60``) are ``known``; ``os.environ.get("X", 5)``,
``os.getenv``, ``os.environ.setdefault``, ``int(...)``/``str(...)``/``float(...)`` around them,
django-environ ``env.int("X", default=5)``, decouple ``config("X", default=5, cast=int)`` and a
project getter called with a literal default whose body reads ``os.environ``
(``get_int_from_env("X", 1)``, resolved through ``Names.getter``) are ``default`` (the value is the
default, ``variables`` names X); a name bound earlier in the same module, or imported from a
project module, has that binding's value; anything else is ``unknown``.

A dict or list Value holds its members as Values (``dict[key, Value]``, ``tuple[Value, ...]``),
each with its own status and source; the container itself is ``known`` (its shape is written);
``plain()`` gives the Python value when every member is known or a default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.formats.values import Source, Value
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

MAX_DEPTH = 24
_ENV_GETTERS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault", "environ.get"})
_CASTS: dict[str, Callable[[object], object]] = {
    "int": lambda v: int(v),  # type: ignore[call-overload]
    "float": lambda v: float(v),  # type: ignore[arg-type]
    "str": str,
    "bool": lambda v: v if isinstance(v, bool) else str(v).lower() in ("1", "true", "yes", "on"),
}
# django-environ's typed readers (``env.int``) and decouple's ``config``.
_ENV_METHODS = frozenset({"int", "str", "bool", "float", "list", "tuple", "dict", "url", "json"})


def source_of(relpath: str, node: Node) -> Source:
    row, column = node.start_point
    return Source(relpath, node.start_byte, node.end_byte, row + 1, column + 1)


def unknown(relpath: str, node: Node, note: str = "", variables: tuple[str, ...] = ()) -> Value:
    return Value(None, "unknown", source_of(relpath, node), variables, note=note)


def plain(value: Value | None) -> object:
    """The Python value when it and every member are known or defaults, else None."""
    if value is None or value.status == "unknown":
        return None
    inner = value.value
    if isinstance(inner, dict):
        out = {}
        for key, member in inner.items():
            got = plain(member) if isinstance(member, Value) else member
            if got is None and isinstance(member, Value) and member.status == "unknown":
                return None
            out[key] = got
        return out
    if isinstance(inner, tuple):
        items = []
        for member in inner:
            got = plain(member) if isinstance(member, Value) else member
            if isinstance(member, Value) and member.status == "unknown":
                return None
            items.append(got)
        return tuple(items)
    return inner


def members(value: Value | None) -> dict[object, Value]:
    """A dict Value's members (empty for anything else)."""
    if value is None or not isinstance(value.value, dict):
        return {}
    return {k: v for k, v in value.value.items() if isinstance(v, Value)}


def items(value: Value | None) -> tuple[Value, ...]:
    """A list/tuple/set Value's members (empty for anything else)."""
    if value is None or not isinstance(value.value, tuple):
        return ()
    return tuple(v for v in value.value if isinstance(v, Value))


@record
class Names:
    """What a module's names mean while it is read top to bottom: its imports (name ->
    qualified), the values bound so far, and how to ask about names from other modules."""

    imports: Mapping[str, str]
    bound: dict[str, Value]
    # The value of a qualified name bound in another project module, or None.
    imported: Callable[[str], Value | None] = lambda name: None
    # Whether a qualified name is a project getter reading os.environ (its default's position).
    getter: Callable[[str], bool] = lambda name: False

    def qualify(self, written: str) -> str:
        head, _, rest = written.partition(".")
        base = self.imports.get(head)
        if base is None:
            return written
        return f"{base}.{rest}" if rest else base


class Evaluator:
    """Values of expressions of one module."""

    def __init__(self, relpath: str, names: Names) -> None:
        self.relpath = relpath
        self.names = names

    def value(self, node: Node, depth: int = 0) -> Value:
        node = nodes.unwrap(node)
        if depth > MAX_DEPTH:
            return unknown(self.relpath, node)
        kind = node.type
        literal = nodes.literal(node)
        from workerlint.facts import NOT_LITERAL

        if literal is not NOT_LITERAL and kind not in ("list", "tuple", "dictionary", "set"):
            return Value(literal, "known", source_of(self.relpath, node), literal=True)
        if kind in ("list", "tuple", "set"):
            members_ = tuple(
                self.value(c, depth + 1) for c in node.named_children if c.type != "comment"
            )
            return Value(members_, "known", source_of(self.relpath, node))
        if kind == "dictionary":
            return self._dictionary(node, depth)
        if kind == "identifier":
            return self._name(node)
        if kind == "attribute":
            return self._attribute(node)
        if kind == "call":
            return self._call(node, depth)
        if kind == "binary_operator":
            return self._binary(node, depth)
        if kind == "conditional_expression":
            return unknown(self.relpath, node, "a conditional expression")
        return unknown(self.relpath, node)

    def _dictionary(self, node: Node, depth: int) -> Value:
        found: dict[object, Value] = {}
        for pair in node.named_children:
            if pair.type != "pair":
                continue  # a comment, or ``**other`` (its keys are not known)
            key = nodes.literal(pair.child_by_field_name("key"))
            value = pair.child_by_field_name("value")
            if value is None or isinstance(key, (dict, tuple)):
                continue
            found[key] = self.value(value, depth + 1)
        return Value(found, "known", source_of(self.relpath, node))

    def _name(self, node: Node) -> Value:
        name = text(node)
        bound = self.names.bound.get(name)
        if bound is not None:
            return _moved(bound, self.relpath, node, f"via `{name}`")
        qualified = self.names.imports.get(name)
        if qualified is not None:
            found = self.names.imported(qualified)
            if found is not None:
                return _moved(found, self.relpath, node, f"via `{name}`")
        return unknown(self.relpath, node, f"`{name}` is not a known value")

    def _attribute(self, node: Node) -> Value:
        written = nodes.dotted(node)
        if written is not None:
            found = self.names.imported(self.names.qualify(written))
            if found is not None:
                return _moved(found, self.relpath, node, f"via `{written}`")
        return unknown(self.relpath, node)

    def _binary(self, node: Node, depth: int) -> Value:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        operator = node.child_by_field_name("operator")
        if left is None or right is None or operator is None:
            return unknown(self.relpath, node)
        a, b = self.value(left, depth + 1), self.value(right, depth + 1)
        x, y = plain(a), plain(b)
        op = text(operator)
        status = "default" if "default" in (a.status, b.status) else "known"
        variables = a.variables + b.variables
        if a.status == "unknown" or b.status == "unknown":
            return unknown(self.relpath, node, variables=variables)
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y))
        result: object = None
        if numbers and op in ("*", "+", "-", "//", "/"):
            assert isinstance(x, (int, float)) and isinstance(y, (int, float))
            if op == "*":
                result = x * y
            elif op == "+":
                result = x + y
            elif op == "-":
                result = x - y
            elif y != 0:
                result = x // y if op == "//" else x / y
        elif isinstance(x, str) and isinstance(y, str) and op == "+":
            result = x + y
        if result is None:
            return unknown(self.relpath, node, variables=variables)
        return Value(result, status, source_of(self.relpath, node), variables)  # type: ignore[arg-type]

    def _call(self, node: Node, depth: int) -> Value:
        written = nodes.dotted(nodes.callee(node))
        if written is None:
            return unknown(self.relpath, node)
        qualified = self.names.qualify(written)
        args = nodes.arguments(node)
        keywords = nodes.keywords(node)
        method = written.rsplit(".", 1)[-1]
        if qualified in _ENV_GETTERS:
            return self._env(node, args[:1], args[1:2] or _opt(keywords.get("default")), None)
        if qualified in _CASTS and len(args) == 1 and not keywords:
            inner = self.value(args[0], depth + 1)
            return _cast(inner, qualified, self.relpath, node)
        if qualified in ("decouple.config", "decouple.AutoConfig"):
            cast = keywords.get("cast")
            cast_name = text(cast) if cast is not None else None
            return self._env(node, args[:1], _opt(keywords.get("default")), cast_name)
        receiver = written.rsplit(".", 1)[0] if "." in written else written
        if _is_environ_env(receiver, self.names) and (method in _ENV_METHODS or "." not in written):
            cast_name = method if method in _CASTS else None
            return self._env(node, args[:1], _opt(keywords.get("default")), cast_name)
        if self.names.getter(qualified) and args:
            default = args[1:2] or _opt(keywords.get("default"))
            cast_name = next((c for c in ("int", "float", "bool") if c in method.lower()), None)
            return self._env(node, args[:1], default, cast_name)
        return unknown(self.relpath, node, f"`{written}(...)` cannot be evaluated")

    def _env(
        self, node: Node, name_args: list[Node], default: list[Node], cast: str | None
    ) -> Value:
        variable = nodes.string_value(name_args[0]) if name_args else None
        variables = (variable,) if variable else ()
        if not default:
            return unknown(self.relpath, node, variables=variables)
        inner = self.value(default[0])
        if inner.status == "unknown":
            return unknown(self.relpath, node, variables=variables + inner.variables)
        result = Value(inner.value, "default", source_of(self.relpath, node), variables)
        return _cast(result, cast, self.relpath, node) if cast in _CASTS else result


def _opt(node: Node | None) -> list[Node]:
    return [node] if node is not None else []


def _is_environ_env(receiver: str, names: Names) -> bool:
    """``env`` bound to ``environ.Env(...)`` (django-environ), or ``environ.Env`` itself."""
    bound = names.bound.get(receiver)
    if bound is not None and bound.note == "environ.Env":
        return True
    return names.qualify(receiver) in ("environ.Env", "environ.Env.read_env")


def _cast(inner: Value, cast: str | None, relpath: str, node: Node) -> Value:
    if cast is None or inner.status == "unknown":
        return replace(inner, source=source_of(relpath, node), literal=False)
    try:
        converted = _CASTS[cast](inner.value)
    except (TypeError, ValueError):
        return unknown(relpath, node, variables=inner.variables)
    return Value(converted, inner.status, source_of(relpath, node), inner.variables)


def _moved(value: Value, relpath: str, node: Node, note: str) -> Value:
    """A bound value used at another place: its status and variables, the use's source."""
    if value.status == "unknown":
        return replace(value, source=source_of(relpath, node), literal=False)
    origin = value.source.where if value.source is not None else ""
    return Value(
        value.value,
        value.status,
        source_of(relpath, node),
        value.variables,
        note=f"{note}, {origin}" if origin else note,
    )
