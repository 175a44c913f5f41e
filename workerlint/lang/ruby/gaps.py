"""Valid Ruby that tree-sitter-ruby 0.23.1 rejects: the table of known grammar gaps.

Each gap recognises its construct from one innermost ERROR (or MISSING) node of the file's tree
(the node's tokens, its neighbours, the tokens and bytes of its line) and gives a *rewrite*: the
construct in a form the grammar accepts, of the same length, so that every byte offset of the
rewritten file is the offset of the same byte in the file, and with the same meaning (but for
one case, below). ``lang.ruby.syntax`` parses the rewritten file to confirm that the error
was the gap and nothing else.

How each gap shows up in the tree:

- an endless method whose body is a command call (``def x(a) = raise Error, "y"``): an ERROR
  holding the command's name (``raise``, or ``I18n.t``: identifier, or call and ``.`` and
  identifier) right after the method's ``=``, the arguments after it as siblings, and often more
  ERROR nodes later on the line (``, "y"``); or a ``method`` ending after the command's name
  followed by an ERROR holding the arguments (``def x = foo a: 1, b: 2``). With a modifier
  (``if``) the ``method`` sits in an ``if_modifier``. With several in a class, the whole class
  may become one ERROR holding the def's tokens loose. Rewritten as
  ``def x(a) =raise(Error, "y")`` (a def that is a statement, starting its line).
- a command call passing an anonymous block (``div class: "x", &`` in a method declaring ``&`` or
  ``...``): an ERROR holding ``,`` and ``&`` after the ``call`` when the statement ends the body;
  an ERROR holding only ``&`` inside the call's ``argument_list`` (after the ``,``), which then
  swallows the next statement as one more argument; or, with other errors around, a ``binary``
  in the ``argument_list`` made of a MISSING identifier, the ``&`` and the next line's first
  token (often ``end``) read as an identifier. Rewritten as ``div(class: "x",&)``, or, when there
  is no space to spare (``div "x",&``), as ``div "x"`` without the block.
- an index assignment with a space before the bracket on a variable (``opts [:a] = 1``): an
  ``assignment`` whose left side is the variable and whose next child is an ERROR holding the
  ``array`` ``[:a]``; with an operator (``opts [:a] += 1``) a ``call`` of the variable whose
  ``argument_list`` holds a ``binary`` ``[:a]`` ``+`` ERROR(``=``) ``1``. Rewritten as
  ``opts[:a]  = 1``. Ruby reads it so only when ``opts`` is a variable (a parameter or a local
  variable assigned before, or an instance, class or global variable); else it is an error.
- a heredoc started inside an interpolation of another heredoc (``#{ f(<<~INNER) }`` with the
  inner body on the next lines): the inner body is read as code (an ERROR inside the
  ``interpolation``), and the outer heredoc swallows the rest of the file. Rewritten as ``""``
  (padded) in place of ``<<~INNER``, with the inner body and terminator blanked: the one rewrite
  that changes a value (a string's text), not what the analysis sees (a literal).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.lang.ruby.nodes import STATEMENT_PARENTS
from workerlint.lang.ruby.scopes import declares_anonymous_block, is_local_variable

if TYPE_CHECKING:
    from tree_sitter import Node


@record(frozen=True)
class Rewrite:
    """Replace the bytes at ``start`` by ``replacement`` (as many bytes as it has)."""

    start: int
    replacement: bytes


@record(frozen=True)
class Match:
    """An error recognised as a gap: the rows the construct covers and its rewrite."""

    first_row: int
    last_row: int
    rewrites: tuple[Rewrite, ...]
    # Where the note goes when the error is a MISSING node (no ERROR node to point at).
    anchor: tuple[int, int] | None = None


@record(frozen=True)
class Gap:
    construct: str  # named in WL001's note
    recognise: Callable[[bytes, Node], Match | None]


_SPACE = b" \t"
_MODIFIERS = frozenset(
    {"if_modifier", "unless_modifier", "while_modifier", "until_modifier", "rescue_modifier"}
)
_TRAILING = frozenset({"comment", "if", "unless", "while", "until", "rescue"})


# -- an endless method whose body is a command call --------------------------------------------

# The command: a method name, maybe after a receiver chain (`I18n.t`, `Rails.logger.info`).
_COMMAND = re.compile(
    rb"(?P<name>(?:(?:@@|@|\$)?[A-Za-z_]\w*(?:\.|&\.|::))*[A-Za-z_]\w*[?!]?)(?P<space>[ \t]+)"
    rb"(?=[A-Za-z0-9_\"':@$\[])"
)
_KEYWORDS = frozenset(
    b"alias and begin break case class def defined? do else elsif end ensure for if in module "
    b"next nil not or redo rescue retry return self super then undef unless until when while "
    b"yield true false".split()
)


def _endless_command(data: bytes, error: Node) -> Match | None:
    if error.is_missing:
        return None
    tokens = list(_tokens_on_row(_root(error), error.start_point.row))
    for i, token in enumerate(tokens):
        if token.type != "def" or token.is_named:
            continue
        equals = _endless_header(tokens, i)
        if equals is None or error.start_byte < equals.end_byte or not _statement(data, token):
            continue
        match = _command_body(data, tokens, equals)
        if match is not None:
            return match
    return None


def _endless_header(tokens: list[Node], at: int) -> Node | None:
    """The `=` of `def [receiver.]name[(parameters)] =` starting at ``tokens[at]``, or None.

    Read from tokens, not from a ``method`` node: with several gaps in a class, tree-sitter's
    recovery may leave a def as loose tokens inside an ERROR node.
    """
    i = at + 1
    if _types(tokens, i, 2) in (("self", "."), ("identifier", "."), ("constant", ".")):
        i += 2
    if _types(tokens, i, 1) not in (("identifier",), ("constant",)):
        return None  # a setter (`def x=(v)`) or an operator cannot be endless with a command
    i += 1
    if _types(tokens, i, 1) == ("(",):
        depth = 0
        while i < len(tokens):
            depth += {"(": 1, ")": -1}.get(tokens[i].type, 0)
            i += 1
            if depth == 0:
                break
    return tokens[i] if _types(tokens, i, 1) == ("=",) else None


def _statement(data: bytes, keyword: Node) -> bool:
    """Ruby takes a command body only for a def that is a statement (not `private def ...`)."""
    line_start = data.rfind(b"\n", 0, keyword.start_byte) + 1
    if data[line_start : keyword.start_byte].strip(_SPACE):
        return False
    method = keyword.parent
    while method is not None and method.type in ("method", "singleton_method", *_MODIFIERS):
        parent = method.parent
        if parent is None or parent.is_error or parent.type in STATEMENT_PARENTS:
            return True
        if parent.type not in _MODIFIERS or parent.children[0] != method:
            return False
        method = parent
    return method is not None and method.is_error  # loose tokens of tree-sitter's recovery


def _command_body(data: bytes, tokens: list[Node], equals: Node) -> Match | None:
    """The rewrite of `= name args` as `=name(args)`, up to a comment, modifier or line end."""
    end = _line_end(data, equals.end_byte)
    for token in tokens:  # leaves: an `if` here is a keyword, not an `if` statement
        if equals.end_byte <= token.start_byte < end and token.type in _TRAILING:
            end = token.start_byte
    end = len(data[:end].rstrip(_SPACE))
    spaces = len(data[equals.end_byte : end]) - len(data[equals.end_byte : end].lstrip(_SPACE))
    if spaces == 0:
        return None
    start = equals.end_byte + spaces
    command = _COMMAND.match(data, start, end)
    if command is None or command.group("name") in _KEYWORDS:
        return None
    arguments = data[command.end() : end]
    if arguments.endswith((b",", b"\\")):  # continues on the next line: not handled
        return None
    rewritten = (
        data[equals.end_byte + 1 : start]
        + command.group("name")
        + b"("
        + command.group("space")[1:]
        + arguments
        + b")"
    )
    row = equals.start_point.row
    return Match(row, row, (Rewrite(equals.end_byte, rewritten),))


def _types(tokens: list[Node], start: int, count: int) -> tuple[str, ...]:
    return tuple(t.type for t in tokens[start : start + count])


# -- a command call passing an anonymous block --------------------------------------------------


def _anonymous_block(data: bytes, error: Node) -> Match | None:
    tokens = _comma_and_ampersand(error)
    if tokens is None:
        return None
    comma, ampersand = tokens
    after = _skip_space(data, ampersand.end_byte)
    if after < len(data) and data[after : after + 1] not in (b"\n", b"\r", b"#", b"}", b";"):
        return None
    call = _command_call(error, comma)
    if call is None or not declares_anonymous_block(call):
        return None
    method = call.child_by_field_name("method")
    assert method is not None
    if data[method.end_byte : method.end_byte + 1] not in (b" ", b"\t"):
        return None
    opening = Rewrite(method.end_byte, b"(")
    between = data[comma.end_byte : ampersand.start_byte]
    if between.strip(_SPACE):
        return None
    if between:  # `div "x", &` -> `div("x",&)`
        rewrites = (opening, Rewrite(comma.end_byte, b"&)" + between[1:]))
    elif data[ampersand.end_byte : ampersand.end_byte + 1] in (b" ", b"\t"):  # `,& ` -> `,&)`
        rewrites = (opening, Rewrite(ampersand.end_byte, b")"))
    else:  # no byte to spare for the parentheses: the call without its block
        rewrites = (Rewrite(comma.start_byte, b" " * (ampersand.end_byte - comma.start_byte)),)
    anchor = (comma.start_byte, ampersand.end_byte) if error.is_missing else None
    return Match(call.start_point.row, ampersand.end_point.row, rewrites, anchor)


def _comma_and_ampersand(error: Node) -> tuple[Node, Node] | None:
    """The `,` and `&` of `call a, &` from the ERROR (or MISSING) node tree-sitter made of them."""
    tokens = [c.type for c in error.children]
    before = error.prev_sibling
    if tokens == [",", "&"]:  # `, &` after the call, when the statement ends the body
        return error.children[0], error.children[1]
    if tokens == ["&"] and before is not None and before.type == ",":  # `&` in the arguments
        return before, error.children[0]
    binary = error.parent
    if error.is_missing and binary is not None and binary.type == "binary":
        # `, <missing> & end`: the `&` read as an operator whose right side is the next line
        comma = binary.prev_sibling
        operator = binary.children[1] if len(binary.children) == 3 else None
        ampersand = operator is not None and operator.type == "&"
        if binary.children[0] == error and ampersand and comma is not None and comma.type == ",":
            assert operator is not None
            return comma, operator
    return None


def _command_call(error: Node, comma: Node) -> Node | None:
    """The call without parentheses whose last argument is followed by ``comma``."""
    parent = comma.parent
    if parent is not None and parent.type == "argument_list":
        call = parent.parent
    else:
        call = comma.prev_sibling if comma.parent != error else error.prev_sibling
        while call is not None and call.type != "call" and call.children:
            call = call.children[-1]  # the statement before `, &` ends with the call
    if call is None or call.type != "call":
        return None
    arguments = call.child_by_field_name("arguments")
    method = call.child_by_field_name("method")
    if arguments is None or method is None or arguments.children[0].type == "(":
        return None
    if method.end_byte >= arguments.start_byte:
        return None
    return call


# -- an index assignment with a space before the bracket ----------------------------------------

_COMPOUND = frozenset({"+", "-", "*", "/", "%", "**", "||", "&&", "|", "&", "^", "<<", ">>"})
_VARIABLES = frozenset({"instance_variable", "class_variable", "global_variable"})


def _spaced_index_assignment(data: bytes, error: Node) -> Match | None:
    target, index = _assigned_index(error)
    if target is None or index is None:
        return None
    space = data[target.end_byte : index.start_byte]
    if not space or space.strip(_SPACE) != b"":
        return None
    if target.type == "identifier":
        if not is_local_variable(target.text or b"", target):
            return None
    elif target.type not in _VARIABLES:
        return None
    rewritten = data[index.start_byte : index.end_byte] + space
    return Match(
        target.start_point.row, index.end_point.row, (Rewrite(target.end_byte, rewritten),)
    )


def _assigned_index(error: Node) -> tuple[Node | None, Node | None]:
    """The variable and the bracket of `opts [:a] = 1` or `opts [:a] += 1`, from the ERROR."""
    parent = error.parent
    children = error.children
    if parent is None:
        return None, None
    if parent.type == "assignment" and [c.type for c in children] == ["array"]:
        after = error.next_sibling
        if error.prev_sibling == parent.child_by_field_name("left") and after and after.type == "=":
            return error.prev_sibling, children[0]
        return None, None
    if parent.type != "binary" or [c.type for c in children] != ["="]:
        return None, None
    left, operator = parent.children[0], parent.children[1]
    if left.type != "array" or operator.type not in _COMPOUND:
        return None, None
    if operator.end_byte != error.start_byte or parent.children[2] != error:
        return None, None
    arguments = parent.parent
    if arguments is None or arguments.type != "argument_list" or arguments.named_child_count != 1:
        return None, None
    call = arguments.parent
    if call is None or call.type != "call" or len(call.children) != 2:
        return None, None
    return call.children[0], left


# -- helpers --------------------------------------------------------------------------------------


def _root(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


def _tokens_on_row(root: Node, row: int) -> Iterator[Node]:
    """The tokens (leaves, MISSING ones left out) that start on ``row``, in source order."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.start_point.row > row or node.end_point.row < row:
            continue
        if node.child_count == 0:
            if node.start_point.row == row and not node.is_missing:
                yield node
            continue
        stack.extend(reversed(node.children))


def _line_end(data: bytes, offset: int) -> int:
    end = data.find(b"\n", offset)
    end = len(data) if end == -1 else end
    return end - 1 if end > offset and data[end - 1 : end] == b"\r" else end


def _skip_space(data: bytes, offset: int) -> int:
    while offset < len(data) and data[offset : offset + 1] in (b" ", b"\t"):
        offset += 1
    return offset


# -- a heredoc started inside an interpolation of another heredoc ------------------------------

_HEREDOC_START = re.compile(rb"^<<([~-]?)(['\"`]?)([A-Za-z_]\w*)\2$")


def _heredoc_in_interpolation(data: bytes, error: Node) -> Match | None:
    """``#{ describe("x", <<~INNER) ... INNER }`` inside a heredoc: tree-sitter reads the inner
    heredoc's body as code. Rewritten as an empty string literal ``""`` in place of ``<<~INNER``,
    with the body and its terminator blanked (the lines stay): the analysis sees a literal string
    where Ruby has one, with other text."""
    interpolation = _ancestor(error, "interpolation")
    if interpolation is None or _ancestor(interpolation, "heredoc_body") is None:
        return None
    for start in _descendants(interpolation, "heredoc_beginning"):
        found = _HEREDOC_START.match(data[start.start_byte : start.end_byte])
        if found is None:
            continue
        indented = found.group(1) in (b"~", b"-")
        name = re.escape(found.group(3))
        body_start = data.find(b"\n", start.end_byte) + 1
        if body_start == 0:
            return None
        terminator = re.compile(
            (rb"^[ \t]*" if indented else rb"^") + name + rb"[ \t]*$", re.MULTILINE
        ).search(data, body_start)
        if terminator is None:
            return None
        width = start.end_byte - start.start_byte
        blank = bytes(b if b in b"\r\n" else 32 for b in data[body_start : terminator.end()])
        rewrites = (
            Rewrite(start.start_byte, b'""' + b" " * (width - 2)),
            Rewrite(body_start, blank),
        )
        last_row = data.count(b"\n", 0, terminator.end())
        return Match(start.start_point.row, last_row, rewrites)
    return None


def _ancestor(node: Node, kind: str) -> Node | None:
    current = node.parent
    while current is not None and current.type != kind:
        current = current.parent
    return current


def _descendants(node: Node, kind: str) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == kind:
            yield current
        stack.extend(reversed(current.children))


GAPS: tuple[Gap, ...] = (
    Gap(
        'an endless method whose body is a command call (`def x = raise "y"`)',
        _endless_command,
    ),
    Gap('a command call passing an anonymous block (`div class: "x", &`)', _anonymous_block),
    Gap(
        "an index assignment with a space before the bracket (`opts [:a] = 1`)",
        _spaced_index_assignment,
    ),
    Gap(
        "a heredoc started inside an interpolation of another heredoc",
        _heredoc_in_interpolation,
    ),
)
