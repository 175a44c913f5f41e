"""One Ruby file's bytes, parsed once: its tree, its syntax check, its facts and classes, and its
semantic model, each computed on first use and then shared by the index, the Sidekiq setup, every
rule and the fix loop (app/source.py hands these out, one per file per run)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Tree

    from workerlint.lang.ruby.model import ClassScope, FileFacts
    from workerlint.lang.ruby.provenance.analysis import FileAnalysis
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
        # Set by ``slim``: the provenance analysis of the file, if it was run (it holds no
        # node), given to the semantic model of the file parsed again.
        self.provenance: FileAnalysis | None = None
        # Set by ``again``: the facts of the file parsed before (its classes are paired with
        # them rather than extracted again).
        self.again_of: FileFacts | None = None

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
        if self.again_of is not None and "extracted" not in self.__dict__:
            return self._classes_again
        return self.extracted[1]

    @cached_property
    def _classes_again(self) -> list[ClassScope]:
        """The classes of a file parsed again, its facts known: found by a walk to the
        definitions alone (model.classes_of), not a second extraction."""
        from workerlint.lang.ruby.model import classes_of

        assert self.again_of is not None
        found = classes_of(self.syntax.tree, self.again_of)
        return found if found is not None else self.extracted[1]

    @cached_property
    def semantic(self) -> SemanticModel:
        from workerlint.lang.ruby.semantic import SemanticModel

        model = SemanticModel(self.syntax.tree.root_node, self.classes)
        if self.provenance is not None:
            from workerlint.lang.ruby.provenance.analysis import keep

            keep(model, self.provenance)
        return model

    def again(self) -> RubyUnit:
        """A unit of the same bytes to parse again (this one was slimmed), given what this
        one kept beyond its tree: its facts and its provenance analysis."""
        unit = RubyUnit(self.relpath, self.data)
        if "facts" in self.__dict__:
            unit.__dict__["facts"] = unit.again_of = self.facts
        unit.provenance = self.provenance
        return unit

    def slim(self) -> None:
        """Drop the tree (and all that holds its nodes) of a file the relevance gate keeps from
        the walk, keeping what its lint still reads: the syntax check (without its tree), the
        facts, which ``# workerlint:`` directives are comments (app/source.py), and the
        provenance analysis if it was run (its lint would ask for it again)."""
        from workerlint.lang.syntax import slim_syntax

        self.facts  # noqa: B018 -- computed before the tree goes
        semantic = self.__dict__.get("semantic")
        if semantic is not None and self.provenance is None:
            from workerlint.lang.ruby.provenance.analysis import kept

            self.provenance = kept(semantic)
        self.__dict__["syntax"], self.comments = slim_syntax(self.data, self.syntax)
        for name in ("tree", "extracted", "semantic", "_classes_again"):
            self.__dict__.pop(name, None)
