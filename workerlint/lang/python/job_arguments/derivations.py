"""What a value derived from a Python job argument is (RULES.md, "Job arguments", "derived";
PYTHON.md §9): the value a call, a subscript, an attribute or an operator returns, and what a
conversion used as a statement proves.

Derived: a part of a tainted value (``x[k]``, ``x.attr``, ``x.get(k)``), a string method of it
(``x.lower()``, ``x.split(",")``, ``"{}".format(x)``, ``",".join(x)``), a conversion or builder
given it (``str(x)``, ``list(x)``, ``os.path.join(a, x)``, ``Path(x)``, ``b64decode(x)``,
``json.loads(x)``, ``urljoin(a, x)``), a class built from it (``Dataclass(**x)``), f-strings,
``%``, ``+``. Numbers made from it (``int(x)``, arithmetic) keep only what sizes work (the
length of a payload, ``len(x)``, is bounded by the payload); ``min(x, MAX)`` with a literal
or constant bound keeps only what injects. Anything else passed a tainted value
(``User.objects.get(pk=x)``) returns a clean value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workerlint.lang.python import nodes
from workerlint.lang.python.job_arguments.sanitizers import INJECTION, SIZE, subject_name
from workerlint.lang.python.nodes import text
from workerlint.taint import CLEAN, NO_FACTS, Call, Facts, Op, Taint, in_host, union_all

if TYPE_CHECKING:
    from tree_sitter import Node

# Methods whose result, on a tainted receiver, is derived from it.
DERIVE = frozenset(
    {"get", "pop", "setdefault", "lower", "upper", "strip", "lstrip", "rstrip", "split",
     "rsplit", "splitlines", "replace", "title", "capitalize", "casefold", "swapcase", "encode",
     "decode", "removeprefix", "removesuffix", "partition", "rpartition", "zfill", "ljust",
     "rjust", "center", "expandtabs", "items", "values", "keys", "copy", "format_map", "[]",
     "format", "join", "translate", "getlist", "__getitem__"}
)  # fmt: skip
STRING_BUILDING = frozenset({"format", "join", "replace", "format_map"})
NUMERIC = frozenset({"int", "float", "abs", "round", "decimal.Decimal", "math.ceil",
                     "math.floor", "sum", "max"})  # fmt: skip
# Functions (qualified) whose result is made from their arguments.
DERIVING = frozenset(
    {"str", "bytes", "list", "tuple", "set", "frozenset", "dict", "sorted", "reversed", "iter",
     "next", "enumerate", "zip", "repr", "format", "os.path.join", "os.path.abspath",
     "os.path.normpath", "os.path.expanduser", "os.path.realpath", "os.fspath", "pathlib.Path",
     "pathlib.PurePath", "pathlib.PosixPath", "base64.b64decode", "base64.urlsafe_b64decode",
     "base64.b32decode", "base64.b16decode", "base64.decodebytes", "json.loads",
     "urllib.parse.unquote", "urllib.parse.unquote_plus", "urllib.parse.urljoin",
     "binascii.unhexlify", "bytes.fromhex", "codecs.decode", "textwrap.dedent"}
)  # fmt: skip
BUILDS_TEXT = frozenset({"os.path.join", "urllib.parse.urljoin", "format", "str"})


def numeric(taint: Taint) -> Taint:
    """A number made from the value: it cannot inject, but it can size work."""
    return taint.only((SIZE,))


class Derivations:
    """The derivations of one module (qualified names come from its semantic model)."""

    def __init__(self, qualify: object) -> None:
        self.qualify = qualify  # Callable[[Node | None], str | None]

    def qualified(self, node: Node | None) -> str | None:
        return self.qualify(node)  # type: ignore[operator, no-any-return]

    def derive(self, call: Call, rt: Taint, taints: Sequence[Taint]) -> Taint:
        if not rt and not any(taints):
            return CLEAN
        node: Node = call.ref  # type: ignore[assignment]
        if node.type in ("subscript", "attribute"):
            if node.type == "attribute" and call.name in (".pk", ".id"):
                return numeric(rt)
            return rt
        if node.type == "binary_operator":  # [x] * n
            return rt.union(union_all(taints)).only((INJECTION,))
        if node.type != "call":
            return CLEAN
        function = nodes.callee(node)
        qualified = self.qualified(function) if call.receiver is None or rt == CLEAN else None
        if rt and call.receiver is not None:
            return _method(call.name, rt, taints)
        args = union_all(taints)
        if qualified == "len":  # the size of a payload: the payload bounds it
            return CLEAN
        if qualified in NUMERIC:
            return numeric(args)
        if qualified == "min":
            bounded = any(_constant(a) for a in nodes.arguments(node))
            return args.only((INJECTION,)) if bounded else numeric(args)
        if qualified in DERIVING:
            if qualified in BUILDS_TEXT:
                return args.built_as(args.lead, args.host)
            return args
        if _spreads(call, taints) and _class_like(function):
            return union_all(
                t for a, t in zip(call.args, taints, strict=True) if a.kind == "keywords"
            )
        if call.receiver is not None and call.name in STRING_BUILDING and _literal(node):
            return _format(call.name, nodes.receiver(node), args)
        return CLEAN

    def operate(self, op: Op, operands: Sequence[Taint]) -> Taint:
        """Concatenation and formatting build text; arithmetic keeps what sizes work."""
        node: Node = op.ref  # type: ignore[assignment]
        if len(operands) == 1:
            return operands[0] if op.op in ("-", "+") else CLEAN
        if op.op == "compare" or len(operands) != 2:
            return CLEAN
        lt, rt = operands
        left = node.child_by_field_name("left")
        if op.op in ("+", "%"):
            lead, host = lt.lead, lt.host
            if rt and left is not None and op.op == "%" and left.type == "string":
                lead, host = format_position(nodes.string_value(left), "%")
            elif rt and left is not None and left.type == "string":
                value = nodes.string_value(left)
                lead, host = False, value is not None and in_host(value)
            return lt.union(rt).built_as(lead, host)
        if op.op == "/":  # a path (`Path(base) / name`) or a number
            return lt.union(rt).built_as(lt.lead, lt.host) if lt or rt else CLEAN
        if op.op in ("-", "*", "//", "**"):
            return lt.union(rt).only((SIZE,))
        return CLEAN

    def asserts(self, call: Call) -> Facts:
        """``int(x)`` as a statement raises unless ``x`` is a number: after it, x is
        validated."""
        node: Node = call.ref  # type: ignore[assignment]
        if node.type != "call" or call.receiver is not None or call.name not in ("int", "float"):
            return NO_FACTS
        parent = node.parent
        args = nodes.arguments(node)
        if parent is None or parent.type != "expression_statement" or not args:
            return NO_FACTS
        subject = subject_name(args[0])
        return frozenset({(subject, INJECTION)}) if subject else NO_FACTS


def _method(name: str, rt: Taint, taints: Sequence[Taint]) -> Taint:
    if name in ("isdigit", "isdecimal", "startswith", "endswith", "count", "find", "index"):
        return CLEAN
    if name in DERIVE:
        result = rt.union(union_all(taints)) if name in STRING_BUILDING else rt
        return result.built_as(result.lead, result.host) if name in STRING_BUILDING else result
    return CLEAN


def _spreads(call: Call, taints: Sequence[Taint]) -> bool:
    return any(a.kind == "keywords" and t for a, t in zip(call.args, taints, strict=True))


def _class_like(function: Node | None) -> bool:
    """``Export(**payload)``, ``models.Export(**payload)``: a class (by its capitalised name)."""
    name = text(function).rsplit(".", 1)[-1]
    return bool(name) and name[0].isupper()


def _literal(call: Node) -> bool:
    recv = nodes.receiver(call)
    return recv is not None and recv.type == "string"


def _format(name: str, fmt: Node | None, args: Taint) -> Taint:
    if not args:
        return CLEAN
    if name == "join":
        return args.built_as(args.lead, args.host)
    lead, host = format_position(nodes.string_value(fmt), "{")
    return args.built_as(lead, host)


def format_position(fmt: str | None, marker: str) -> tuple[bool, bool]:
    """(lead, host) of values formatted into a literal format string, by its first marker."""
    if fmt is None:
        return True, True
    first = fmt.find(marker)
    if first < 0:
        return False, False
    prefix = fmt[:first]
    return prefix == "", in_host(prefix)


def _constant(node: Node) -> bool:
    """A bound of ``min(n, MAX)``: a number or an upper-case constant."""
    node = nodes.unwrap(node)
    if node.type in ("integer", "float"):
        return True
    name = text(node).rsplit(".", 1)[-1]
    return node.type in ("identifier", "attribute") and name.isupper()
