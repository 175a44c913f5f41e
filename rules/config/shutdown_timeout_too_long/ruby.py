"""WL108's Ruby check: a Sidekiq shutdown timeout not below the platform's grace period."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.formats.values import int_value
from workerlint.project.frameworks.sidekiq.report import report_at_source, where

if TYPE_CHECKING:
    from workerlint.formats.values import Source
    from workerlint.project.context import ProjectContext
    from workerlint.project.frameworks.sidekiq.setup import Process


class SidekiqShutdownCheck(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:
        grace = int(self.options["grace-period"])
        found: dict[Source, list[Process]] = {}
        for process in ctx.setup.processes:
            value = process.timeout
            seconds = int_value(value)
            if seconds is None:
                if value.status == "unknown":
                    ctx.skip(f"{process.title}: timeout unknown ({value.origin()})")
                continue
            if seconds < grace:
                continue
            if value.source is None:
                ctx.skip(f"{process.title}: default timeout {seconds} s is not below {grace} s")
                continue
            found.setdefault(value.source, []).append(process)
        for source, processes in found.items():
            value = processes[0].timeout
            message = (
                f"Shutdown timeout of {value.value} s ({value.origin()}) is not below the "
                f"{grace} s grace period (grace-period){where(ctx.setup, processes)}: the "
                "platform sends SIGKILL before Sidekiq can push unfinished jobs back, so they "
                "are killed mid-run and run again"
            )
            report_at_source(ctx, source, message)
