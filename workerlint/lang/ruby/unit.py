"""One Ruby file's bytes, parsed once: its tree, its syntax check, its facts and classes, and its
semantic model, each computed on first use and then shared by the index, the Sidekiq setup, every
rule and the fix loop (app/source.py hands these out, one per file per run)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Tree

    from workerlint.lang.ruby.model import ClassScope, FileFacts
    from workerlint.lang.ruby.semantic import SemanticModel
    from workerlint.lang.ruby.syntax import Syntax


RUBY = "ruby"  # the language name project/files.py gives Ruby files


class RubyUnit:
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

    @cached_property
    def tree(self) -> Tree:
        from workerlint.lang.ruby.parse import parse

        return parse(self.data)

    @cached_property
    def syntax(self) -> Syntax:
        """Real syntax errors told from the grammar's known gaps (the tree to read is
        ``syntax.tree``: rewritten where a gap was)."""
        from workerlint.lang.ruby.syntax import check

        return check(self.data, self.tree)

    @cached_property
    def extracted(self) -> tuple[FileFacts, list[ClassScope]]:
        from workerlint.lang.ruby.model import extract

        return extract(self.syntax.tree, self.relpath)

    @cached_property
    def facts(self) -> FileFacts:
        """The index's facts of the file: the structural ones, and what its enqueues pass
        (lang/ruby/provenance, which needs the semantic model)."""
        facts = self.extracted[0]
        from workerlint.lang.ruby.provenance.analysis import analyse, may_enqueue

        if not may_enqueue(self.data):  # no enqueue site (mailer deliveries: when asked)
            return facts
        from dataclasses import replace

        found = analyse(self.syntax.tree.root_node, facts, self.classes, self.semantic)
        return replace(facts, enqueues=found.sites) if found.sites else facts

    @property
    def classes(self) -> list[ClassScope]:
        return self.extracted[1]

    @cached_property
    def semantic(self) -> SemanticModel:
        from workerlint.lang.ruby.semantic import SemanticModel

        return SemanticModel(self.syntax.tree.root_node, self.classes)

    def slim(self) -> None:
        """Drop the tree (and all that holds its nodes) of a file the relevance gate keeps from
        the walk, keeping what its lint still reads: the syntax check (without its tree), the
        facts, and which ``# workerlint:`` directives are comments (app/source.py)."""
        from workerlint.lang.syntax import slim_syntax

        self.facts  # noqa: B018 -- computed before the tree goes
        self.__dict__["syntax"], self.comments = slim_syntax(self.data, self.syntax)
        for name in ("tree", "extracted", "semantic"):
            self.__dict__.pop(name, None)
