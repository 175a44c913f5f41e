from __future__ import annotations

from workerlint import Invalid, Level, Rule, Valid
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
from workerlint.project.frameworks.sidekiq.version import gemfile_lock

YAML = "config/sidekiq.yml"


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
    summary = "A key of the Sidekiq YAML that Sidekiq and its known add-ons never read."
    fix_availability = "sometimes"
    tags = ("configuration",)
    targets = frozenset({"project"})

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


_V7 = gemfile_lock("7.2.0")
_V6 = gemfile_lock("6.5.12")
_IGNORED = "so it is ignored without a word"

UnknownConfigKey.VALID = (
    Valid(":concurrency: 10\n:queues:\n  - default\n", YAML, _V7),
    Valid("concurrency: 10\nqueues: [default]\ntimeout: 20\nverbose: false\n", YAML, _V7),
    Valid(":concurrency: 5\n:schedule:\n  hello:\n    cron: '0 * * * *'\n    class: Hello\n"
          ":scheduler:\n  enabled: true\n:dynamic: true\n", YAML, _V7),
    Valid(":limits:\n  imports: 2\n:process_limits:\n  reports: 1\n:blocking:\n  - critical\n",
          YAML, _V7),
    Valid(":concurrency: 5\nproduction:\n  :concurrency: 20\nstaging:\n  :concurrency: 10\n",
          YAML, _V7),
    Valid(":concurrency: 5\ncapsules:\n  single:\n    concurrency: 1\n    queues: [x]\n", YAML, _V7),
    Valid(":redis:\n  url: redis://x\n:pidfile: tmp/pids/sidekiq.pid\n", YAML, _V7),
    Valid(":pidfile: tmp/pids/sidekiq.pid\n:logfile: log/sidekiq.log\n", YAML, gemfile_lock("5.2.10")),
    Valid(":concurrency: 5\nqa:\n  :concurrency: 2\n", YAML,
          {**_V7, "config/environments/qa.rb": "Rails.application.configure do\nend\n"}),
    Valid(":max_iteration_runtime: 300\n:redis_idle_timeout: 10\n", YAML, gemfile_lock("8.0.1")),
    Valid(":concurency: 5\n", "config/sidekiq_schedule.yml", _V7),
)  # fmt: skip

UnknownConfigKey.INVALID = (
    Invalid(":concurency: 20\n^^^^^^^^^^^ Unknown key `concurency` in the top level of "
            f"config/sidekiq.yml: Sidekiq 7.2.0 or a known add-on does not read it, {_IGNORED}; "
            "did you mean `concurrency`?\n",
            YAML, _V7, fixed=":concurrency: 20\n"),
    Invalid("concurrency: 5\nproduction:\n  queue:\n  ^^^^^ Unknown key `queue` in the "
            f"`production` section: Sidekiq 7.2.0 or a known add-on does not read it, {_IGNORED}; "
            "did you mean `queues`?\n    - critical\n",
            YAML, _V7, fixed="concurrency: 5\nproduction:\n  queues:\n    - critical\n"),
    Invalid(":concurrency: 5\nprod:\n^^^^ Unknown key `prod` in the top level of "
            f"config/sidekiq.yml: Sidekiq 7.2.0 or a known add-on does not read it, {_IGNORED}\n"
            "  :concurrency: 20\n",
            YAML, _V7),
    Invalid(":concurrency: 5\ncapsules:\n  single:\n    concurency: 1\n    ^^^^^^^^^^ Unknown "
            f"key `concurency` in capsule `single`: Sidekiq does not read it, {_IGNORED}; did you "
            "mean `concurrency`?\n    queues: [x]\n",
            YAML, _V7, fixed=":concurrency: 5\ncapsules:\n  single:\n    concurrency: 1\n"
            "    queues: [x]\n"),
    Invalid(":concurrency: 5\n:capsules:\n^^^^^^^^^ `capsules` in the top level of "
            "config/sidekiq.yml is read only from Sidekiq 7: Sidekiq 6.5.12 ignores it without a "
            "word\n  single:\n    concurrency: 1\n",
            YAML, _V6),
    Invalid(":concurrency: 5\n:concurency: 10\n^^^^^^^^^^^ Unknown key `concurency` in the top "
            f"level of config/sidekiq.yml: Sidekiq 7.2.0 or a known add-on does not read it, "
            f"{_IGNORED}; did you mean `concurrency`?\n",
            YAML, _V7),
    Invalid("'timeuot': 20\n^^^^^^^^^ Unknown key `timeuot` in the top level of "
            f"config/sidekiq.yml: Sidekiq 7.2.0 or a known add-on does not read it, {_IGNORED}; "
            "did you mean `timeout`?\n",
            YAML, _V7),
    Invalid(":max_iteration_runtime: 300\n^^^^^^^^^^^^^^^^^^^^^^ `max_iteration_runtime` in the "
            "top level of config/sidekiq.yml is read only from Sidekiq 7.3: Sidekiq 7.2.0 ignores "
            "it without a word\n",
            YAML, _V7),
    Invalid(":concurrency: 5\n:workers: 3\n^^^^^^^^ Unknown key `workers` in the top level of "
            f"config/sidekiq.yml: Sidekiq 7.2.0 or a known add-on does not read it, {_IGNORED}\n",
            YAML, _V7),
)  # fmt: skip
