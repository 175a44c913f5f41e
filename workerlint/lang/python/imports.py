"""Names a fix may write, and the import a fix adds when the module has none (PYTHON.md §0.2).

``bound_name`` says how a module can write a qualified name with the imports it has
(``aiohttp.ClientTimeout`` after ``import aiohttp``, ``ClientTimeout`` after
``from aiohttp import ClientTimeout``). ``add_import`` is the one structural edit fixes need:
``from <module> import <name>`` placed after the module's leading imports. It is built with
libcst, imported here on first use, so only a run that builds such a fix pays for libcst's import
(about 0.1-0.2 s); every other fix is a byte edit checked by the re-parse step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.diagnostics import Edit, SourceText

if TYPE_CHECKING:
    import libcst

    from workerlint.lang.python.context import PythonContext


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


def add_import(data: bytes, module: str, name: str) -> Edit | None:
    """The edit importing ``name`` from ``module``: added to the module's leading
    ``from <module> import ...`` when it has one (``from aiohttp import ClientSession,
    ClientTimeout``), else ``from <module> import <name>`` on the line after its last leading
    import (the imports before its first other statement; after a docstring and ``__future__``
    imports; at the top of a module with neither). None when libcst cannot read the module."""
    import libcst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        text = data.decode("utf-8")
        wrapper = MetadataWrapper(libcst.parse_module(text))
    except (UnicodeDecodeError, libcst.ParserSyntaxError):
        return None
    positions = wrapper.resolve(PositionProvider)
    source = SourceText(data)
    after_line = 0  # the 1-based line the import goes after; 0: before the first statement
    grouped_line = 0  # the last leading import from the same top-level package (its group)
    first_line = None
    for index, statement in enumerate(wrapper.module.body):
        if first_line is None:
            first_line = positions[statement].start.line
        if not isinstance(statement, libcst.SimpleStatementLine):
            break
        small = statement.body[0] if statement.body else None
        docstring = (
            index == 0
            and isinstance(small, libcst.Expr)
            and isinstance(small.value, libcst.SimpleString | libcst.ConcatenatedString)
        )
        if _imports_from(small, module):
            assert isinstance(small, libcst.ImportFrom) and not isinstance(
                small.names, libcst.ImportStar
            )
            # rendered alone, without the `;` a following statement on its line keeps
            changed = _with_name(small, name).with_changes(semicolon=libcst.MaybeSentinel.DEFAULT)
            where = positions[small]  # the import alone: `from a import b; x = 1` keeps `x`
            start = source.offset(where.start.line, where.start.column + 1)
            end = source.offset(where.end.line, where.end.column + 1)
            code = wrapper.module.code_for_node(changed)
            return Edit(start, end, code)
        if isinstance(small, libcst.Import | libcst.ImportFrom) or docstring:
            after_line = positions[statement].end.line
            if _same_package(small, module):
                grouped_line = after_line
            continue
        break
    after_line = grouped_line or after_line
    line = after_line if after_line else (first_line or 1) - 1
    # the start of the line after ``line`` (the end of the data past its last line)
    offset = source.line_starts[line] if line < len(source.line_starts) else len(data)
    statement = f"from {module} import {name}\n"
    if offset and data[offset - 1 : offset] != b"\n":
        statement = "\n" + statement  # the last line has no newline of its own
    if after_line == 0:
        return Edit(offset, offset, statement + ("\n" if first_line else ""))
    return Edit(offset, offset, statement)


def _with_name(statement: libcst.ImportFrom, name: str) -> libcst.ImportFrom:
    """``statement`` importing ``name`` too, in its own layout: one name per line keeps one name
    per line (and its trailing comma), a one-line list gets ``, name``."""
    import libcst

    assert not isinstance(statement.names, libcst.ImportStar)
    names = list(statement.names)
    last = names[-1]
    if len(names) > 1 and isinstance(last.comma, libcst.Comma):
        names[-1] = last.with_changes(comma=names[-2].comma)
        added = libcst.ImportAlias(libcst.Name(name), comma=last.comma)
    else:
        names[-1] = last.with_changes(comma=libcst.MaybeSentinel.DEFAULT)
        added = libcst.ImportAlias(libcst.Name(name))
    return statement.with_changes(names=[*names, added])


def _same_package(small: object, module: str) -> bool:
    """Whether ``small`` imports from ``module``'s top-level package (``django.db`` for
    ``django.db``: ``from django.db.transaction import atomic``, ``import django``)."""
    import libcst

    top = module.split(".", 1)[0]
    if isinstance(small, libcst.ImportFrom):
        if small.relative or small.module is None:
            return False
        name = libcst.helpers.get_full_name_for_node(small.module) or ""
        return name.split(".", 1)[0] == top
    if isinstance(small, libcst.Import):
        return any(
            (libcst.helpers.get_full_name_for_node(alias.name) or "").split(".", 1)[0] == top
            for alias in small.names
        )
    return False


def _imports_from(small: object, module: str) -> bool:
    """Whether ``small`` is a plain ``from <module> import a, b`` (no star, no relative dots)."""
    import libcst

    if not isinstance(small, libcst.ImportFrom) or small.relative:
        return False
    if isinstance(small.names, libcst.ImportStar) or small.module is None:
        return False
    return libcst.helpers.get_full_name_for_node(small.module) == module
