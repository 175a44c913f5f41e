"""Job arguments through a worker class (RULES.md, "Job arguments"; WL401, WL402): the taint
engine (workerlint/taint.py) run with Ruby's spec (:mod:`.spec`) once per class and file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.ruby.job_arguments.spec import RubySpec
from workerlint.taint import Engine, Finding

if TYPE_CHECKING:
    from workerlint.lang.ruby.context import RubyContext
    from workerlint.lang.ruby.model import ClassScope


def engine(scope: ClassScope, ctx: RubyContext) -> Engine:
    """The taint engine for the job arguments of a worker class (not run yet)."""
    return Engine(RubySpec(scope, ctx))


def analyse_class(scope: ClassScope, ctx: RubyContext) -> list[Finding]:
    """The findings of the job-argument data flow in a worker class (computed once per file:
    WL401 and WL402 share them)."""
    key = ("job-arguments", scope.node.start_byte, scope.node.end_byte)
    found: list[Finding] | None = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = engine(scope, ctx).run()
    return found
