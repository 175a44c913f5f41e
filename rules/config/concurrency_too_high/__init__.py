from __future__ import annotations

from typing import Any, ClassVar

from workerlint import Invalid, Level, Rule, Valid
from workerlint.formats.values import Source, int_value
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.sidekiq.report import join, report_at_source, threads_detail
from workerlint.project.frameworks.sidekiq.setup import Process
from workerlint.project.frameworks.sidekiq.version import gemfile_lock

YAML = "config/sidekiq.yml"


class ConcurrencyTooHigh(Rule):
    """## What it does
    Reports a Sidekiq process whose total job threads (its concurrency, or on Sidekiq 7+ the sum
    of its capsules' concurrencies) exceed `max-concurrency` (default 50). It points at the
    concurrency value that makes it so: the largest one written in a file (the YAML value, a
    capsule's concurrency, or `-c` in a Procfile). Findings at the same place for several
    processes or environments are merged.

    ## Why is this bad?
    Ruby threads share one interpreter lock: more threads add contention, memory and database
    and Redis connections, not throughput. Sidekiq's own guidance is to keep concurrency at or
    below 50 per process and to run more processes instead.

    ## Example
    ```yaml
    :concurrency: 100
    ```

    Use instead:
    ```yaml
    :concurrency: 25   # and run more processes
    ```

    ## Options
    - `max-concurrency` (integer, default 50): the most job threads a process may run.
    """

    code = "WL103"
    name = "concurrency-too-high"
    level = Level.WARNING
    summary = "A Sidekiq process runs more job threads than max-concurrency."
    tags = ("configuration", "threads")
    targets = frozenset({"project"})
    option_defaults: ClassVar[dict[str, Any]] = {"max-concurrency": 50}

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


_LOCK = gemfile_lock("7.2.0")
_TAIL = (
    ": more threads add GVL contention and connections, not throughput; run more processes instead"
)


def _msg(total: int, detail: str, who: str = "The Sidekiq process", limit: int = 50) -> str:
    return f"{who} runs {total} job threads ({detail}), above max-concurrency {limit}{_TAIL}"


ConcurrencyTooHigh.VALID = (
    Valid(":concurrency: 50\n", YAML, _LOCK),
    Valid(":concurrency: 10\n", YAML, _LOCK),
    Valid("concurrency: 25\nproduction:\n  concurrency: 40\n", YAML, _LOCK),
    Valid(':concurrency: <%= ENV["SIDEKIQ_CONCURRENCY"] %>\n', YAML, _LOCK),
    Valid(":concurrency: 60\n", YAML, _LOCK, options={"max-concurrency": 60}),
    Valid(":concurrency: 100\ndevelopment:\n  :concurrency: 5\n", YAML, _LOCK,
          settings={"environments": ["development"]}),
    Valid(":concurrency: 30\ncapsules:\n  single:\n    concurrency: 20\n", YAML, _LOCK),
    Valid("worker: bundle exec sidekiq -c 50\n", "Procfile", _LOCK),
    Valid(":concurrency: 80\n", YAML, {**gemfile_lock("7.2.0"),
          "Procfile": "worker: bundle exec sidekiq -c 20\n"}),
)  # fmt: skip

ConcurrencyTooHigh.INVALID = (
    Invalid(":concurrency: 100\n"
            "              ^^^ " + _msg(100, "concurrency 100 (config/sidekiq.yml:1)") + "\n",
            YAML, _LOCK),
    Invalid(":concurrency: 10\nproduction:\n  :concurrency: 60\n"
            "                ^^ " + _msg(60, "concurrency 60 (config/sidekiq.yml:3)") + "\n",
            YAML, _LOCK),
    Invalid(':concurrency: <%= ENV.fetch("SIDEKIQ_CONCURRENCY", 64) %>\n'
            "              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ "
            + _msg(64, "concurrency 64 (config/sidekiq.yml:1, default of SIDEKIQ_CONCURRENCY)")
            + "\n", YAML, _LOCK),
    Invalid(":concurrency: 30\n"
            "              ^^ " + _msg(55, "capsules `default` 30 (config/sidekiq.yml:1) + "
                                     "`single` 25 (config/sidekiq.yml:4)") + "\n"
            "capsules:\n  single:\n    concurrency: 25\n",
            YAML, _LOCK),
    Invalid("worker: bundle exec sidekiq -c 75\n"
            "                            ^^^^^ " + _msg(75, "concurrency 75 (Procfile:1)") + "\n",
            "Procfile", _LOCK),
    Invalid(":concurrency: 40\n"
            "              ^^ " + _msg(40, "concurrency 40 (config/sidekiq.yml:1)", limit=30)
            + "\n", YAML, _LOCK, options={"max-concurrency": 30}),
    Invalid(
        ":concurrency: 51\n"
        "              ^^ " + _msg(51, "concurrency 51 (config/sidekiq.yml:1)",
                                   "The default process in production")
        + "; also the default process in staging\n"
        "staging:\n  :timeout: 20\n", YAML, _LOCK),
    Invalid("web: bundle exec puma\nworker: bundle exec sidekiq -c 60 -q a\n"
            "                            ^^^^^ " + _msg(60, "concurrency 60 (Procfile:2)", "`worker` (Procfile:2) in production") + "\n"
            "low: bundle exec sidekiq -c 60 -e production -q b\n"
            "                         ^^^^^ " + _msg(60, "concurrency 60 (Procfile:3)", "`low` (Procfile:3) in production") + "\n",
            "Procfile", _LOCK),
)  # fmt: skip
