"""A Python file's first real syntax error (tree-sitter-python accepts every real Python file
of the measured corpus, PEP 695 and PEP 701 included: PYTHON.md §5, so it has no known gaps)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workerlint.lang.python.parse import parse
from workerlint.lang.syntax import Syntax, Template, error_leaves, fault

if TYPE_CHECKING:
    from tree_sitter import Tree


def check(data: bytes, tree: Tree | None = None) -> Syntax:
    """Parse ``data`` (unless ``tree`` is its tree already) and find its first error."""
    if tree is None:
        tree = parse(data)
    if not tree.root_node.has_error:
        return Syntax(tree, (), None)
    leaves = error_leaves(tree.root_node)
    if not leaves:
        return Syntax(tree, (), None)
    return Syntax(tree, (), fault(leaves[0]), _foreign_script(data) or _template(data))


# Jinja's statement tags and a bare ``{{ name }}`` expression: never valid Python at statement
# level (an f-string's ``{{`` is an escaped brace, and a file with only those parses).
_TEMPLATE_TAG = re.compile(
    rb"\{%-?\s*(?:for|if|elif|else|endfor|endif|set|block|endblock|macro|endmacro|include|"
    rb"import|from|extends|raw|endraw|with|endwith|filter|call)\b[^\n]*?%\}"
    rb"|\{\{-?\s*[A-Za-z_][\w.]*(?:\s*\|\s*\w+)*\s*-?\}\}"
)


def _template(data: bytes) -> Template | None:
    """The first template tag of a file that does not parse, if it has one."""
    match = _TEMPLATE_TAG.search(data)
    if match is None:
        return None
    return Template(match.start(), match.end(), match.group().decode("utf-8", "replace"))


# ``#!/usr/bin/env ruby``, ``#!/usr/bin/env -S ruby -w``, ``#!/bin/bash``: the interpreter's name.
_SHEBANG = re.compile(rb"\A#![ \t]*(\S+)(?:[ \t]+(?:-S[ \t]+)?([^\s-]\S*))?[^\n]*")


def _foreign_script(data: bytes) -> Template | None:
    """A file that does not parse and whose ``#!`` line runs another interpreter than Python."""
    match = _SHEBANG.match(data)
    if match is None:
        return None
    program = match.group(1).rsplit(b"/", 1)[-1]
    if program == b"env" and match.group(2):
        program = match.group(2).rsplit(b"/", 1)[-1]
    name = program.decode("utf-8", "replace")
    if name == "env" or name.startswith(("python", "pypy")):
        return None
    return Template(match.start(), match.end(), match.group().decode("utf-8", "replace"), name)
