"""WL104's Ruby check: a key of the Sidekiq YAML that Sidekiq and known add-ons never read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint import LanguageCheck
from workerlint.formats.values import node_source
from workerlint.formats.yaml import mapping_get
from workerlint.project.frameworks.sidekiq.keys import (
    ADD_ON_KEYS,
    CAPSULE_KEYS,
    SINCE,
    config_mappings,
    edit_distance,
    ignored_keys,
    own_pairs,
    read_keys,
)
from workerlint.project.frameworks.sidekiq.report import replace_fix, report_at_source

if TYPE_CHECKING:
    from workerlint.project.context import ProjectContext


class SidekiqUnknownKeys(LanguageCheck):
    def check_project(self, ctx: ProjectContext) -> None:
        setup = ctx.setup
        version = setup.effective_version
        known = read_keys(version)
        allowed = known | ADD_ON_KEYS | ignored_keys(version)
        for mapping in config_mappings(setup):
            capsule = mapping.kind == "capsule"
            for name, key, _ in own_pairs(mapping):
                if name in (CAPSULE_KEYS if capsule else allowed):
                    continue
                candidates = [
                    k for k in sorted(CAPSULE_KEYS if capsule else known)
                    if edit_distance(name, k) <= 2
                ]  # fmt: skip
                if name in SINCE and not capsule:
                    since = ".".join(str(n) for n in SINCE[name])
                    message = (
                        f"`{name}` in {mapping.where} is read only from Sidekiq {since}: "
                        f"{setup.version_label} ignores it without a word"
                    )
                else:
                    reader = "Sidekiq" if capsule else f"{setup.version_label} or a known add-on"
                    message = (
                        f"Unknown key `{name}` in {mapping.where}: {reader} does not read it, "
                        "so it is ignored without a word"
                    )
                fix = None
                if len(candidates) == 1:
                    target = candidates[0]
                    message += f"; did you mean `{target}`?"
                    if key.style is None and mapping_get(mapping.node, target) is None:
                        text = f":{target}" if str(key.value).startswith(":") else target
                        fix = replace_fix(
                            node_source(mapping.yaml.relpath, key), text, f"rename to `{text}`"
                        )
                source = node_source(mapping.yaml.relpath, key)
                report_at_source(ctx, source, message, fix=fix)
