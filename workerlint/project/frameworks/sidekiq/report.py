"""Helpers the configuration rules share: naming processes and merging findings."""

from __future__ import annotations

from collections.abc import Iterable

from workerlint.core.diagnostics import Applicability, Edit, Fix, Span
from workerlint.formats.values import Source
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.sidekiq.setup import Process, SidekiqSetup


def join(names: Iterable[str]) -> str:
    items = list(dict.fromkeys(names))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def where(setup: SidekiqSetup, processes: Iterable[Process]) -> str:
    """`` in the default process in production and staging`` when the setup has several
    process-environment pairs; empty when it has one."""
    chosen = list(processes)
    if len(setup.processes) <= 1 or not chosen:
        return ""
    by_label: dict[str, list[str]] = {}
    for process in chosen:
        by_label.setdefault(process.label, []).append(process.environment)
    parts = [f"{label} in {join(envs)}" for label, envs in by_label.items()]
    return " (" + "; ".join(parts) + ")"


def environments(names: Iterable[str]) -> str:
    return join(sorted(set(names)))


def report_at_source(
    ctx: ProjectContext, source: Source, message: str, *, fix: Fix | None = None
) -> None:
    """Report a finding spanning a configuration value's source."""
    ctx.report_at(source.relpath, Span(source.start, source.end), message, fix=fix)


def replace_fix(source: Source, text: str, title: str) -> Fix:
    return Fix(Applicability.UNSAFE, title, (Edit(source.start, source.end, text),))


def threads_detail(process: Process) -> str:
    """``concurrency 10 (config/sidekiq.yml:1)`` or the sum over capsules."""
    parts = process.capsule_concurrencies()
    if len(parts) == 1 and parts[0][1] is not None:
        return f"concurrency {parts[0][1].describe()}"
    shown = [f"`{name}` {value.describe() if value is not None else '?'}" for name, value in parts]
    return "capsules " + " + ".join(shown)
