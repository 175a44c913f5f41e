"""One Python file's bytes, parsed once: its tree, its syntax check, its module facts and its
semantic model, each computed on first use and shared by the index, the Celery setup, every rule
and the fix loop (app/source.py hands these out, one per file per run)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Tree

    from workerlint.lang.python.model import ModuleFacts
    from workerlint.lang.python.semantic import SemanticModel
    from workerlint.lang.syntax import Syntax


PYTHON = "python"  # the language name project/files.py gives Python files


class PythonUnit:
    language = PYTHON

    def __init__(self, relpath: str, data: bytes, tree: Tree | None = None) -> None:
        self.relpath = relpath
        self.data = data
        if tree is not None:
            self.__dict__["tree"] = tree
        # Set by ``slim``: the offsets of the directives that are comments (core/suppress.py).
        self.comments: frozenset[int] | None = None
        # Whether the relevance gate lets the file through when the index finds neither worker
        # code nor worker classes in it, when the store asked (app/source.py).
        self.plain: bool | None = None
        self._semantic: dict[str | None, SemanticModel] = {}

    @cached_property
    def tree(self) -> Tree:
        from workerlint.lang.python.parse import parse

        return parse(self.data)

    @cached_property
    def syntax(self) -> Syntax:
        from workerlint.lang.python.syntax import check

        return check(self.data, self.tree)

    @cached_property
    def facts(self) -> ModuleFacts:
        from workerlint.lang.python.model import extract

        return extract(self.tree.root_node, self.relpath)

    def semantic(self, module: str | None) -> SemanticModel:
        """The semantic model with relative imports resolved against ``module`` (the file's
        dotted name, which the project index knows)."""
        found = self._semantic.get(module)
        if found is None:
            from workerlint.lang.python.semantic import SemanticModel

            package = self.relpath.endswith("__init__.py")
            found = self._semantic[module] = SemanticModel(self.tree.root_node, module, package)
        return found

    def slim(self) -> None:
        """Drop the tree (and all that holds its nodes) of a file the relevance gate keeps from
        the walk, keeping what its lint still reads: the syntax check (without its tree), the
        facts, and which ``# workerlint:`` directives are comments (app/source.py)."""
        from workerlint.lang.syntax import slim_syntax

        self.facts  # noqa: B018 -- computed before the tree goes
        self.__dict__["syntax"], self.comments = slim_syntax(self.data, self.syntax)
        self.__dict__.pop("tree", None)
        self._semantic.clear()
