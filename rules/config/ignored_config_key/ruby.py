"""WL105's Ruby check: a key of the Sidekiq YAML that Sidekiq ignores or removed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.formats.values import node_source
from workerlint.project.frameworks.sidekiq.keys import (
    UNTIL,
    config_mappings,
    ignored_keys,
    own_pairs,
)
from workerlint.project.frameworks.sidekiq.report import report_at_source

if TYPE_CHECKING:
    from workerlint.project.context import ProjectContext


_WHY = {
    "redis": "Sidekiq never reads `redis` from its YAML file (in any version): set the pool in "
    "`Sidekiq.configure_server { |config| config.redis = { ... } }`",
    "namespace": "Sidekiq ignores `namespace` in its YAML file (and redis-namespace support was "
    "removed in 7.0): use a separate Redis database instead",
    "strict": "`strict` is dropped when the file is loaded from Sidekiq 6.2: list the queues with "
    "weights to get weighted order",
    "pidfile": "`pidfile` was removed in Sidekiq 6.0: let the process manager track the process",
    "logfile": "`logfile` was removed in Sidekiq 6.0: Sidekiq logs to standard output",
    "daemon": "`daemon` was removed in Sidekiq 6.0: let the process manager (systemd, Docker) run "
    "Sidekiq in the background",
    "on_complex_arguments": "`on_complex_arguments` is ignored in the YAML from Sidekiq 7.0: call "
    "`Sidekiq.strict_args!` in an initializer",
}


class SidekiqIgnoredKeys(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:
        setup = ctx.setup
        ignored = ignored_keys(setup.effective_version)
        for mapping in config_mappings(setup):
            if mapping.kind == "capsule":
                continue
            for name, key, _ in own_pairs(mapping):
                if name not in ignored:
                    continue
                message = f"{_WHY[name]} ({setup.version_label})"
                if name in UNTIL:
                    message = f"{_WHY[name]}; {setup.version_label} ignores it"
                source = node_source(mapping.yaml.relpath, key)
                report_at_source(ctx, source, message)
