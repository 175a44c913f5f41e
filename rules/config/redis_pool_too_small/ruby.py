"""WL101's Ruby check: a Sidekiq server's Redis pool below what its concurrency needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.core.records import record
from workerlint.formats.values import int_value
from workerlint.project.frameworks.sidekiq.report import join, replace_fix, report_at_source, where

if TYPE_CHECKING:
    from workerlint.formats.values import Value
    from workerlint.project.context import ProjectContext
    from workerlint.project.frameworks.sidekiq.setup import Process


@record(frozen=True)
class _Shortfall:
    process: Process
    need: int
    concurrency: Value
    formula: str
    capsule: str


class SidekiqRedisPoolCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:
        setup = ctx.setup
        ruby = setup.ruby
        pool = ruby.redis_pool
        if ruby.redis_source is None or pool is None:
            return  # Sidekiq's own pool fits its concurrency
        version = setup.effective_version
        if version < (5,):
            ctx.skip(f"{setup.version_label}: versions before 5.0 are not modelled")
            return
        if (7,) <= version < (7, 0, 3):
            ctx.skip(
                f"{setup.version_label} ignores a `size:` (every capsule gets its concurrency)"
            )
            return
        if ruby.redis_form == "connection_pool" and version >= (7,):
            ctx.skip(f"{setup.version_label} does not accept a ConnectionPool for config.redis")
            return
        size = int_value(pool)
        if size is None or pool.source is None:
            ctx.skip(f"Redis pool unknown ({pool.origin()})")
            return
        shortfalls = self._shortfalls(ctx, size, version)
        if not shortfalls:
            return
        worst = max(shortfalls, key=lambda s: s.need)
        same = [s for s in shortfalls if (s.need, s.concurrency) == (worst.need, worst.concurrency)]
        others = [s for s in shortfalls if s not in same]
        message = (
            f"Redis pool of {size} ({pool.origin()}) is below the {worst.need} connections "
            f"{setup.version_label} needs for concurrency {worst.concurrency.value} "
            f"({worst.concurrency.origin()}; {worst.formula})"
            f"{where(setup, (s.process for s in same))}: it will refuse to boot"
        )
        if others:
            several = len(setup.processes) > 1
            shown = [
                (f"capsule `{s.capsule}` at " if version >= (7,) else "")
                + f"concurrency {s.concurrency.describe()}"
                + (f" in {s.process.title}" if several else "")
                for s in others
            ]
            message += "; also too small for " + join(dict.fromkeys(shown))
        fix = None
        if pool.literal:
            fix = replace_fix(pool.source, str(worst.need), f"raise the pool to {worst.need}")
        source = pool.source
        report_at_source(ctx, source, message, fix=fix)

    def _shortfalls(
        self, ctx: ProjectContext, size: int, version: tuple[int, ...]
    ) -> list[_Shortfall]:
        found = []
        for process in ctx.setup.processes:
            if version < (7,):
                capsules = [("default", process.concurrency)]
            else:
                capsules = process.capsule_concurrencies()
            for capsule, value in capsules:
                concurrency = int_value(value)
                if value is None or concurrency is None:
                    origin = value.origin() if value is not None else "not set"
                    ctx.skip(f"{process.title}: concurrency of `{capsule}` unknown ({origin})")
                    continue
                if version < (5, 2):
                    too_small = size <= concurrency
                    need, formula = concurrency + 2, "more than the concurrency; concurrency + 2"
                elif version < (7,):
                    need, formula = concurrency + 2, "concurrency + 2"
                    too_small = size < need
                else:
                    need = concurrency
                    formula = f"every capsule's pool holds its concurrency: capsule `{capsule}`"
                    too_small = size < need
                if too_small:
                    found.append(_Shortfall(process, need, value, formula, capsule))
        return found
