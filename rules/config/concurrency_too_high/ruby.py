"""WL103's Ruby check: a Sidekiq process that runs more job threads than max-concurrency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.formats.values import int_value
from workerlint.project.frameworks.sidekiq.report import join, report_at_source, threads_detail

if TYPE_CHECKING:
    from workerlint.formats.values import Source
    from workerlint.project.context import ProjectContext
    from workerlint.project.frameworks.sidekiq.setup import Process


class SidekiqConcurrencyCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:
        limit = int(self.options["max-concurrency"])
        found: dict[Source, list[tuple[Process, int]]] = {}
        for process in ctx.setup.processes:
            total = process.total_threads
            if total is None:
                ctx.skip(f"{process.title}: job threads unknown: {process.threads_unknown()}")
                continue
            if total <= limit:
                continue
            written = [
                (int_value(value) or 0, value.source)
                for _, value in process.capsule_concurrencies()
                if value is not None and value.source is not None
            ]
            if not written:
                ctx.skip(f"{process.title}: {total} threads, but no file states the concurrency")
                continue
            _, source = max(written, key=lambda item: item[0])
            assert source is not None
            found.setdefault(source, []).append((process, total))
        for source, items in found.items():
            process, total = max(items, key=lambda item: item[1])
            several = len(ctx.setup.processes) > 1
            who = process.title if several else "The Sidekiq process"
            message = (
                f"{who[0].upper()}{who[1:]} runs {total} job threads ({threads_detail(process)}), "
                f"above max-concurrency {limit}: more threads add GVL contention and connections, "
                "not throughput; run more processes instead"
            )
            others = sorted({p.title for p, _ in items if p is not process})
            if others:
                message += "; also " + join(others)
            report_at_source(ctx, source, message)
