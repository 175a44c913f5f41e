from __future__ import annotations

from workerlint import FolderCheck, Level, Rule
from workerlint.formats.values import node_source
from workerlint.formats.yaml import mapping_get
from workerlint.project.context import ProjectContext
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


class UnknownConfigKey(Rule):
    """## What it does
    Reports a key of the Sidekiq YAML (top level, environment sections, capsules) that neither
    Sidekiq, for the detected version, nor a known add-on reads. Keys Sidekiq ignores on
    purpose or removed are WL105's. A top-level key whose value is a mapping is an environment
    section when its name is an environment of the project (a section of `database.yml`, a file
    of `config/environments/`, or `development`, `test`, `staging`, `production`); otherwise it
    is an unknown key. When exactly one key Sidekiq reads is within edit distance 2, the message
    suggests it.

    Add-on keys are not reported: `schedule`, `scheduler`, `dynamic`, `enabled`... of
    sidekiq-scheduler, `limits`, `process_limits`, `blocking`, `global` of sidekiq-limit_fetch,
    `cron`, `lifecycle_events`.

    For Celery (Python), it reports a key Celery does not know in its configuration: a
    `CELERY_` key of Django settings read with `namespace="CELERY"` (`CELERY_WORKER_CONCURENCY`,
    `CELERY_CONCURRENCY`), a lower-case name in a `celeryconfig` module, or a key given to
    `app.conf.update(...)` / `app.conf.x = ...`, with the closest real name. Old names are
    WL105's; a key the project reads itself (named in another module: `settings.X`,
    `getattr(settings, "X")`) and add-on keys (`CELERY_REDBEAT_*`, `CELERY_ONCE`, Flower's) are
    not reported.

    ## Why is this bad?
    Sidekiq ignores keys it does not know without a word: a typo such as `concurency` leaves
    the process at the default concurrency, and a section named `prod` is never applied.

    ## Example
    ```yaml
    :concurency: 20
    ```

    Use instead:
    ```yaml
    :concurrency: 20
    ```

    ## Fix safety
    The fix renames the key when exactly one candidate exists and the mapping does not already
    set it. It is unsafe: it switches on a setting Sidekiq was ignoring (more threads, other
    queues).
    """

    code = "WL104"
    name = "unknown-config-key"
    level = Level.WARNING
    summary = "A configuration key that the job framework and its known add-ons never read."
    fix_availability = "sometimes"
    tags = ("configuration",)
    targets = frozenset({"project"})
    python = FolderCheck("CeleryUnknownKeys")

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
