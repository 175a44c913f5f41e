"""What every rule may ask of a file and of the project, whatever the language (protocols), and
the reporting they share.

Each language's file context adds its syntax tree and semantic model (lang/ruby/context.py), and
the project's contexts add the project index and the framework setups (project/context.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from workerlint.core.diagnostics import Diagnostic, Fix, Level, SourceText, Span

if TYPE_CHECKING:
    from workerlint.core.settings import Settings

# A syntax node of any language (tree-sitter's Node for Ruby); core never looks inside one.
Node = Any


class FileContext(Protocol):
    """One file being checked, and where its findings go."""

    path: Path
    relpath: str
    kind: str
    source: SourceText
    settings: Settings

    def report(
        self,
        where: Node | Span,
        message: str,
        *,
        fix: Fix | None = None,
        level: Level | None = None,
        cwe: int | None = None,
    ) -> None: ...

    def skip(self, reason: str) -> None: ...


class ProjectContext(Protocol):
    """The project as a whole, for rules that read its configuration; reports into any file."""

    root: Path
    settings: Settings

    def report_at(
        self,
        relpath: str,
        span: Span,
        message: str,
        *,
        fix: Fix | None = None,
        level: Level | None = None,
        cwe: int | None = None,
    ) -> None: ...

    def skip(self, reason: str) -> None: ...


class RuleMeta(Protocol):
    """What reporting needs of the rule being run (a Rule class or instance)."""

    code: str
    name: str
    level: Level
    cwe: tuple[int, ...]


class Reporter:
    """Findings and skipped checks of the rule being run (the contexts share this)."""

    rule: RuleMeta | None
    sink: list[Diagnostic]
    skipped: list[str]

    def skip(self, reason: str) -> None:
        """Record a check that was not made, and why (shown by ``--verbose``)."""
        code = self.rule.code if self.rule is not None else "engine"
        self.skipped.append(f"{code}: {reason}")

    def _emit(
        self,
        path: Path,
        span: Span,
        message: str,
        fix: Fix | None,
        level: Level | None,
        cwe: int | None = None,
    ) -> None:
        rule = self.rule
        if rule is None:  # pragma: no cover - the engine always sets the rule
            raise RuntimeError("report() outside a rule")
        if cwe is not None and cwe not in rule.cwe:
            raise ValueError(f"{rule.code} reported CWE-{cwe}, which its `cwe` does not list")
        self.sink.append(
            Diagnostic(rule.code, rule.name, level or rule.level, message, path, span, fix, cwe=cwe)
        )
