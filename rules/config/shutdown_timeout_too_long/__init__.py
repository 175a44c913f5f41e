from __future__ import annotations

from typing import Any, ClassVar

from workerlint import Invalid, Level, Rule, Valid
from workerlint.formats.values import Source, int_value
from workerlint.project.context import ProjectContext
from workerlint.project.frameworks.sidekiq.report import report_at_source, where
from workerlint.project.frameworks.sidekiq.setup import Process
from workerlint.project.frameworks.sidekiq.version import gemfile_lock

YAML = "config/sidekiq.yml"


class ShutdownTimeoutTooLong(Rule):
    """## What it does
    Reports a shutdown `timeout` (in the Sidekiq YAML, or `-t` in a Procfile) at or above the
    platform's grace period (`grace-period`, default 30 seconds: Heroku's, and Kubernetes'
    default `terminationGracePeriodSeconds`). Sidekiq's own default (8 s in 5.x, 25 s from 6.0)
    is not reported.

    ## Why is this bad?
    On shutdown Sidekiq waits `timeout` seconds for running jobs, then pushes the unfinished
    ones back to Redis. The platform sends SIGKILL when its grace period ends: with a timeout at
    or above it, Sidekiq is killed before it can push the jobs back, so they are lost until a
    reliable fetch recovers them, or run again from the start.

    ## Example
    ```yaml
    :timeout: 60
    ```

    Use instead:
    ```yaml
    :timeout: 25
    ```

    ## Options
    - `grace-period` (integer, default 30): seconds between SIGTERM and SIGKILL on your platform.
    """

    code = "WL108"
    name = "shutdown-timeout-too-long"
    level = Level.WARNING
    summary = "Sidekiq's shutdown timeout is not below the platform's grace period."
    tags = ("configuration", "shutdown")
    targets = frozenset({"project"})
    option_defaults: ClassVar[dict[str, Any]] = {"grace-period": 30}

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


_V7 = gemfile_lock("7.2.0")
_TAIL = (
    ": the platform sends SIGKILL before Sidekiq can push unfinished jobs back, so they are "
    "killed mid-run and run again"
)


def _msg(seconds: int, origin: str, grace: int = 30, where: str = "") -> str:
    return (
        f"Shutdown timeout of {seconds} s ({origin}) is not below the {grace} s grace period "
        f"(grace-period){where}{_TAIL}"
    )


ShutdownTimeoutTooLong.VALID = (
    Valid(":timeout: 25\n", YAML, _V7),
    Valid(":concurrency: 10\n", YAML, _V7),
    Valid(":timeout: 29\n", YAML, _V7),
    Valid(":timeout: 45\n", YAML, _V7, options={"grace-period": 60}),
    Valid(':timeout: <%= ENV["SIDEKIQ_TIMEOUT"] %>\n', YAML, _V7),
    Valid(':timeout: <%= ENV.fetch("SIDEKIQ_TIMEOUT", 20) %>\n', YAML, _V7),
    Valid(":timeout: 20\ndevelopment:\n  :timeout: 60\n", YAML, _V7),
    Valid("worker: bundle exec sidekiq -t 20\n", "Procfile", _V7),
    Valid(":timeout: 60\n", YAML, {**_V7, "Procfile": "worker: bundle exec sidekiq -t 25\n"}),
)  # fmt: skip

ShutdownTimeoutTooLong.INVALID = (
    Invalid(":timeout: 30\n          ^^ " + _msg(30, "config/sidekiq.yml:1") + "\n", YAML, _V7),
    Invalid(":timeout: 60\n          ^^ " + _msg(60, "config/sidekiq.yml:1") + "\n", YAML, _V7),
    Invalid("timeout: 10\nproduction:\n  timeout: 45\n           ^^ "
            + _msg(45, "config/sidekiq.yml:3") + "\n", YAML, _V7),
    Invalid(':timeout: <%= ENV.fetch("SIDEKIQ_TIMEOUT", 40) %>\n'
            "          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ "
            + _msg(40, "config/sidekiq.yml:1, default of SIDEKIQ_TIMEOUT") + "\n", YAML, _V7),
    Invalid(":timeout: 25\n          ^^ " + _msg(25, "config/sidekiq.yml:1", 20) + "\n", YAML, _V7,
            options={"grace-period": 20}),
    Invalid("worker: bundle exec sidekiq -t 30\n                            ^^^^^ "
            + _msg(30, "Procfile:1") + "\n", "Procfile", _V7),
    Invalid(":timeout: 35\n          ^^ "
            + _msg(35, "config/sidekiq.yml:1",
                   where=" (the default process in production and staging)") + "\n"
            "staging:\n  :concurrency: 5\n", YAML, _V7),
    Invalid(":timeout: 30\n          ^^ " + _msg(30, "config/sidekiq.yml:1") + "\n", YAML,
            {**_V7, "Procfile": "web: bundle exec puma\n"}),
    Invalid(":timeout: 31\n          ^^ " + _msg(31, "config/sidekiq.yml:1") + "\n", YAML,
            gemfile_lock("5.2.10")),
)  # fmt: skip
