"""Names a fix may write, and the import a fix adds when the module has none (PYTHON.md §0.2).

``bound_name`` says how a module can write a qualified name with the imports it has
(``aiohttp.ClientTimeout`` after ``import aiohttp``, ``ClientTimeout`` after
``from aiohttp import ClientTimeout``). ``add_import`` is the one structural edit fixes need:
``from <module> import <name>`` placed after the module's leading imports, read from the module's
tree-sitter tree (the one the rules read: the module is not parsed again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.diagnostics import Edit
from workerlint.lang.python.nodes import text
from workerlint.lang.python.semantic import star_import

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    from workerlint.lang.python.context import PythonContext

# Module-level statements that are not simple statements: the leading imports end at one.
_COMPOUND = frozenset({
    "if_statement", "for_statement", "while_statement", "try_statement", "with_statement",
    "function_definition", "class_definition", "decorated_definition", "match_statement",
})  # fmt: skip
_IMPORTS = frozenset({"import_statement", "import_from_statement", "future_import_statement"})
_STRINGS = frozenset({"string", "concatenated_string"})


def bound_name(ctx: PythonContext, qualified: str) -> str | None:
    """How this module writes ``qualified`` with its own module-level imports, or None."""
    module, _, attribute = qualified.rpartition(".")
    for name, bindings in ctx.semantic.module_scope.bindings.items():
        for binding in bindings:
            if binding.kind != "import":
                continue
            if binding.qualified == qualified:
                return name
            if module and binding.qualified == module:
                return f"{name}.{attribute}"
    return None


def is_free(ctx: PythonContext, name: str) -> bool:
    """Whether the module binds ``name`` nowhere at its top level (an import may take it)."""
    return name not in ctx.semantic.module_scope.bindings


def add_import(data: bytes, module: str, name: str, tree: Tree | None = None) -> Edit | None:
    """The edit importing ``name`` from ``module``: added to the module's leading
    ``from <module> import ...`` when it has one (``from aiohttp import ClientSession,
    ClientTimeout``), else ``from <module> import <name>`` on the line after its last leading
    import (the imports before its first other statement; after a docstring and ``__future__``
    imports; at the top of a module with neither), after the last of them from ``module``'s
    top-level package if any. ``tree`` is ``data``'s tree (parsed here when not given). None
    when the module is not UTF-8 or does not parse.

    A line of statements joined by ``;`` counts as its first statement, and ends where its last
    one ends (``import os; x = 1`` is a leading import)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if tree is None:
        from workerlint.lang.python.parse import parse

        tree = parse(data)
    root = tree.root_node
    if root.has_error:
        return None
    after = -1  # where the last leading import (or the docstring) ends: the import goes below
    grouped = -1  # where the last leading import from the same top-level package ends
    lines = _statement_lines(root)
    for index, (first, end) in enumerate(lines):
        if first.type in _COMPOUND:
            break
        if _imports_from(first, module):
            return _joined(data, first, name)
        if first.type in _IMPORTS or (index == 0 and _is_docstring(first)):
            after = end
            if _same_package(first, module):
                grouped = end
            continue
        break
    newline = "\r\n" if b"\r\n" in data else "\n"  # the module's own line ends
    statement = f"from {module} import {name}{newline}"
    below = grouped if grouped >= 0 else after
    if below >= 0:  # on the line after that statement's
        line_end = data.find(b"\n", below)
        if line_end < 0:  # the last line has no newline of its own
            return Edit(len(data), len(data), newline + statement)
        return Edit(line_end + 1, line_end + 1, statement)
    if not lines:  # nothing but comments, or nothing
        return Edit(0, 0, statement)
    # above the first statement, below the comments before it, and a blank line between
    offset = data.rfind(b"\n", 0, lines[0][0].start_byte) + 1
    return Edit(offset, offset, statement + newline)


def _statement_lines(root: Node) -> list[tuple[Node, int]]:
    """The module's top-level statements as lines: each line's first statement and the byte
    its last statement ends at (statements after a ``;`` join the line)."""
    lines: list[tuple[Node, int]] = []
    joined = False
    for child in root.children:
        if child.type == ";":
            joined = True
        elif child.is_named and child.type != "comment":
            if joined and lines:
                lines[-1] = (lines[-1][0], child.end_byte)
            else:
                lines.append((child, child.end_byte))
            joined = False
    return lines


def _is_docstring(statement: Node) -> bool:
    """Whether ``statement`` is a string alone (not an f-string)."""
    if statement.type != "expression_statement" or statement.named_child_count != 1:
        return False
    value = statement.named_children[0]
    if value.type not in _STRINGS:
        return False
    if value.type == "string":
        start = value.child(0)
        return start is None or b"f" not in (start.text or b"").lower()
    return True


def _joined(data: bytes, statement: Node, name: str) -> Edit:
    """The edit adding ``name`` to ``statement`` (``from <module> import a, b``) in its own
    layout: a list of one name per line with a trailing comma gets a line of its own after the
    last name's (its comment stays there), any other list ``, name`` after its last name. The
    edit rewrites the statement alone (not a ``;`` after it)."""
    last = statement.children_by_field_name("name")[-1]
    after = last.next_sibling
    start, end = statement.start_byte, statement.end_byte
    line_start = data.rfind(b"\n", 0, last.start_byte) + 1
    indent = data[line_start : last.start_byte]
    line_end = data.find(b"\n", last.end_byte)
    closing = statement.children[-1]
    one_per_line = (
        after is not None
        and after.type == ","
        and not indent.strip()
        and closing.type == ")"
        and 0 <= line_end < closing.start_byte
    )
    if one_per_line:  # a line of its own after the last name's line (before its \r\n or \n)
        crlf = data[line_end - 1 : line_end] == b"\r"
        cut = line_end - 1 if crlf else line_end
        added = ("\r\n" if crlf else "\n") + indent.decode() + name + ","
    else:
        cut, added = last.end_byte, ", " + name
    return Edit(start, end, data[start:cut].decode() + added + data[cut:end].decode())


def _module_of(statement: Node) -> str | None:
    """The absolute module a ``from`` import names (None for a relative one)."""
    if statement.type == "future_import_statement":
        return "__future__"
    module = statement.child_by_field_name("module_name")
    if module is None or module.type != "dotted_name":
        return None
    return ".".join(text(part) for part in module.named_children)


def _imports_from(statement: Node, module: str) -> bool:
    """Whether ``statement`` is a plain ``from <module> import a, b`` (no star, no relative
    dots)."""
    if statement.type != "import_from_statement" or _module_of(statement) != module:
        return False
    return star_import(statement) is None


def _same_package(statement: Node, module: str) -> bool:
    """Whether ``statement`` imports from ``module``'s top-level package (``django.db`` for
    ``django.db``: ``from django.db.transaction import atomic``, ``import django``)."""
    top = module.split(".", 1)[0]
    if statement.type == "import_statement":
        return any(_top(alias) == top for alias in statement.children_by_field_name("name"))
    imported = _module_of(statement)
    return imported is not None and imported.split(".", 1)[0] == top


def _top(alias: Node) -> str:
    """The top-level package ``import a.b`` or ``import a.b as c`` imports (``a``)."""
    dotted = alias.child_by_field_name("name") if alias.type == "aliased_import" else alias
    if dotted is None or not dotted.named_child_count:
        return ""
    return text(dotted.named_children[0])
