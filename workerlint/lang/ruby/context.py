"""What the Ruby analysis asks of the file being checked (a protocol the project's concrete
FileContext fulfils): the tree, the class being walked, the project index, the settings, and the
few version facts of the framework that change what code means."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    from workerlint.core.context import RuleMeta
    from workerlint.core.diagnostics import SourceText
    from workerlint.core.settings import Settings
    from workerlint.lang.ruby.index import RubyIndex
    from workerlint.lang.ruby.model import ClassScope
    from workerlint.lang.ruby.semantic import SemanticModel


class FrameworkFacts(Protocol):
    """The Sidekiq version and gems (the project's setup has them)."""

    gems: frozenset[str]
    version_label: str

    def at_least(self, *version: int) -> bool: ...

    def gem_line(self, gem: str) -> int | None: ...


class RubyContext(Protocol):
    path: Path
    relpath: str
    source: SourceText
    tree: Tree | None
    classes: list[ClassScope]
    index: RubyIndex
    setup: FrameworkFacts
    settings: Settings
    in_worker_dir: bool
    semantic: SemanticModel  # the file's semantic model (lang/ruby/semantic.py)
    # Facts recognizers computed for this file, keyed by (kind, start, end): each is computed
    # once however many rules ask.
    memo: dict[tuple[str, int, int], Any]
    rule: RuleMeta | None
    # Walk state, kept current by the walk while it dispatches nodes.
    class_scope: ClassScope | None
    method: Node | None
    in_worker_code: bool

    def report(self, where: Any, message: str, **details: Any) -> None: ...

    def skip(self, reason: str) -> None: ...
