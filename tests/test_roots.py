"""One project root, nested settings files, and the same findings however a file is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, HTTP_WORKER, ORDER_MODEL, RELATION_WORKER, REPO, run_cli

from workerlint.app import registry
from workerlint.app.linter import Options
from workerlint.app.runner import run
from workerlint.core.diagnostics import SourceText
from workerlint.project.files import classify, sidekiq_yaml_files
from workerlint.project.frameworks.sidekiq.version import gemfile_lock
from workerlint.project.roots import find_root

SIDEKIQ_YML = "---\nconcurrency: 5\nqueues:\n  - default\n"


def rows(result, root: Path) -> list[tuple[str, int, int, str, str]]:
    found = []
    for d in result.diagnostics:
        source = SourceText(d.path.read_bytes()) if d.path.is_file() else SourceText(b"")
        pos = source.position(d.span.start)
        rel = d.path.relative_to(root).as_posix()
        found.append((rel, pos.line, pos.column, d.code, d.message))
    return found


def check(*paths: Path, **options) -> object:
    return run(list(paths), Options(use_cache=False, **options))


# -- the root -----------------------------------------------------------------------------------


def test_a_config_folder_never_makes_a_root(project):
    root = project({"spec/config/sidekiq_spec.rb": "x = 1\n", "spec/workers/ping_spec.rb": "1\n"})
    assert find_root(root / "spec/workers/ping_spec.rb") == root
    assert find_root(root / "spec/config") == root


def test_the_outermost_marker_up_to_the_repository_wins(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "Gemfile.lock").parent.mkdir(exist_ok=True)
    (repo / "Gemfile.lock").write_text("")
    (repo / "app/workers").mkdir(parents=True)
    assert find_root(repo / "app/workers") == repo
    # Above the repository nothing counts, and without a marker the repository is the root.
    (tmp_path / "Gemfile").write_text("")
    bare = tmp_path / "bare"
    (bare / ".git").mkdir(parents=True)
    (bare / "lib").mkdir()
    assert find_root(bare / "lib") == bare


def test_an_app_with_its_own_gemfile_is_a_project_but_an_engine_is_not(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "Gemfile").write_text("")
    (repo / "apps/admin/app").mkdir(parents=True)
    (repo / "apps/admin/Gemfile").write_text("")
    (repo / "engines/billing/app").mkdir(parents=True)
    (repo / "engines/billing/Gemfile").write_text("")
    (repo / "engines/billing/billing.gemspec").write_text("")
    assert find_root(repo / "apps/admin/app") == repo / "apps/admin"
    assert find_root(repo / "engines/billing/app") == repo


def test_a_spec_file_keeps_the_app_root_and_force_exclude_drops_it(project):
    root = project(
        {
            **gemfile_lock("7.2.4"),
            "spec/config/sidekiq_spec.rb": "1\n",
            "spec/workers/ping_worker_spec.rb": HTTP_WORKER,
        }
    )
    spec = root / "spec/workers/ping_worker_spec.rb"
    result = check(spec)
    assert result.roots == [root]
    assert [r[3] for r in rows(result, root)] == ["WL201"]
    assert any("Sidekiq 7.2.4" in note for note in result.notes)
    assert check(spec, force_exclude=True).diagnostics == []


def test_the_engine_of_a_gem_sees_the_host_configuration(project):
    queue_worker = (
        "class ExportWorker\n  include Sidekiq::Job\n  sidekiq_options queue: :exports\n"
        "  def perform; end\nend\n"
    )
    root = project(
        {
            **gemfile_lock("7.2.4"),
            "config/sidekiq.yml": SIDEKIQ_YML,
            "engines/billing/billing.gemspec": "Gem::Specification.new\n",
            "engines/billing/Gemfile": 'source "https://rubygems.org"\ngemspec\n',
            "engines/billing/app/workers/export_worker.rb": queue_worker,
        }
    )
    worker = root / "engines/billing/app/workers/export_worker.rb"
    expected = [("engines/billing/app/workers/export_worker.rb", 3, 26, "WL107")]
    assert [r[:4] for r in rows(check(worker), root)] == expected
    assert [r[:4] for r in rows(check(root), root)] == expected


# -- nested settings ----------------------------------------------------------------------------


@pytest.fixture
def billing(project):
    return project(
        {
            "app/models/order.rb": ORDER_MODEL,
            "app/workers/ping_worker.rb": HTTP_WORKER,
            "app/workers/billing/ping_worker.rb": HTTP_WORKER.replace("Ping", "BillingPing"),
            "app/workers/billing/sweep_worker.rb": RELATION_WORKER.replace("Sweep", "BSweep"),
            "app/workers/billing/imports/sweep_worker.rb": RELATION_WORKER.replace("Sweep", "I"),
        }
    )


def codes(result, root: Path) -> list[tuple[str, str]]:
    return [(r[0], r[3]) for r in rows(result, root)]


def test_a_nested_file_silences_only_what_it_names(billing):
    (billing / "app/workers/billing/.workerlint.toml").write_text('ignore = ["WL202", "WL201"]\n')
    assert codes(check(billing), billing) == [
        ("app/workers/billing/imports/sweep_worker.rb", "WL301"),
        ("app/workers/billing/sweep_worker.rb", "WL301"),
        ("app/workers/ping_worker.rb", "WL201"),
    ]


def test_nested_selectors_refine_the_parent(billing):
    (billing / ".workerlint.toml").write_text('ignore = ["WL3"]\n')
    (billing / "app/workers/billing/.workerlint.toml").write_text(
        'ignore = ["WL2"]\nextend-select = ["WL301"]\n'
    )
    (billing / "app/workers/billing/imports/.workerlint.toml").write_text(
        'select = ["WL201"]\nignore = ["unbatched-relation-iteration"]\n'
    )
    assert codes(check(billing), billing) == [
        ("app/workers/billing/sweep_worker.rb", "WL301"),  # the nested extend-select is exact
        ("app/workers/ping_worker.rb", "WL201"),
    ]

    def cli(**overrides: tuple[str, ...]) -> list[tuple[str, str]]:
        return codes(run([billing], Options(use_cache=False), overrides=overrides), billing)

    # The command line comes after every file: its --ignore wins over a nested selector...
    assert cli(ignore=("WL301",)) == [("app/workers/ping_worker.rb", "WL201")]
    # ...its exact --select wins over a nested `ignore = ["WL2"]`, and limits every subtree.
    assert cli(select=("WL201",)) == [
        ("app/workers/billing/ping_worker.rb", "WL201"),
        ("app/workers/ping_worker.rb", "WL201"),
    ]


def test_nested_per_file_ignores_excludes_and_options_are_relative_to_their_folder(billing):
    (billing / "app/workers/billing/.workerlint.toml").write_text(
        'per-file-ignores = { "sweep_worker.rb" = ["WL301"] }\n'
        'extend-exclude = ["imports"]\n'
        "[rules.WL201]\ntimeout-seconds = 3\n"
    )
    result = check(billing)
    assert codes(result, billing) == [
        ("app/workers/billing/ping_worker.rb", "WL201"),
        ("app/workers/ping_worker.rb", "WL201"),
    ]
    fixes = {d.path.relative_to(billing).as_posix(): d.fix for d in result.diagnostics}
    assert "timeout: 3" in fixes["app/workers/billing/ping_worker.rb"].edits[0].content
    assert "timeout: 10" in fixes["app/workers/ping_worker.rb"].edits[0].content
    # The excluded subtree is still checked when named, unless --force-exclude.
    imports = billing / "app/workers/billing/imports/sweep_worker.rb"
    assert [r[3] for r in rows(check(imports), billing)] == ["WL301"]
    assert check(imports, force_exclude=True).diagnostics == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'fail-level = "error"\n',
            "`fail-level` is a project-wide setting: set it in the project root's settings",
        ),
        (
            'worker-paths = ["x"]\n',
            "`worker-paths` is a project-wide setting: set it in the project root's settings",
        ),
        (
            "[rules.WL103]\nmax-concurrency = 5\n",
            "the options of WL103 (concurrency-too-high) are project-wide",
        ),
        ('ignore = ["WL2011"]\n', "unknown rule selector `WL2011`; did you mean `WL201`?"),
    ],
)
def test_project_wide_keys_in_a_nested_file_are_an_error(billing, text, message):
    nested = billing / "app/workers/billing/.workerlint.toml"
    nested.write_text(text)
    result = run_cli("check", ".", cwd=billing)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"workerlint: error: {nested}: ")
    assert message in result.err


def test_a_nested_settings_file_does_not_start_a_project(billing):
    (billing / "app/workers/billing/.workerlint.toml").write_text('ignore = ["WL201"]\n')
    worker = billing / "app/workers/billing/sweep_worker.rb"
    result = check(worker)
    assert result.roots == [billing]
    # The model is found through the whole project's index: WL301 still fires.
    assert codes(result, billing) == [("app/workers/billing/sweep_worker.rb", "WL301")]


# -- the same findings however a file is named --------------------------------------------------


def _checkable(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if ".workerlint_cache" in path.parts or not path.is_file():
            continue
        root = find_root(path)
        named = sidekiq_yaml_files(root)  # the files a Procfile passes with -C
        if classify(path.relative_to(root).as_posix(), path, sidekiq_yaml=named) is not None:
            found.append(path)
    return found


def _by_file(result) -> dict[Path, list[tuple]]:
    table: dict[Path, list[tuple]] = {}
    for d in result.diagnostics:
        table.setdefault(d.path, []).append((d.span, d.code, d.level, d.message, d.fix))
    return table


def test_every_fixture_file_gets_the_same_findings_however_it_is_named(monkeypatch):
    whole = _by_file(check(FIXTURES))
    files = _checkable(FIXTURES)
    assert len(files) > 60
    for path in files:
        expected = whole.get(path, [])
        root = find_root(path)
        for cwd, name in (
            (REPO, path.relative_to(REPO)),
            (path.parent, Path(path.name)),
            (root, path.relative_to(root)),
            (Path("/"), path),
        ):
            monkeypatch.chdir(cwd)
            alone = _by_file(check(name)).get(path, [])
            assert alone == expected, f"{path} checked as {name} from {cwd}"
        monkeypatch.chdir(root)
        assert _by_file(check(Path("."))).get(path, []) == expected, f"{path} in its project"


# -- a configuration input re-checks the project rules everywhere -------------------------------


def test_a_changed_configuration_input_reports_project_findings_everywhere(sample_app):
    sidekiq_yml = sample_app / "config/sidekiq.yml"
    sidekiq_yml.write_text(sidekiq_yml.read_text().replace("  - [low, 1]\n", ""))
    project_rules = {r.code for r in registry.all_rules() if "project" in r.targets}
    whole = [r for r in rows(check(sample_app), sample_app) if r[3] in project_rules]
    assert sum(r[3] == "WL107" for r in whole) == 10
    assert {r[0] for r in whole} >= {"app/workers/audit_log_worker.rb"}
    # pre-commit passes only the changed file: the workers' WL107 findings (and every other
    # project rule's) are still reported, and no other rule runs on the files not passed.
    only_yaml = check(sidekiq_yml)
    assert rows(only_yaml, sample_app) == whole
    assert sum(not o.context for o in only_yaml.outcomes) == 1
    from workerlint.core.output import Summary

    assert Summary.of(only_yaml).files == 1
    # A worker passed alone is not a configuration input: only its own findings.
    worker = sample_app / "app/workers/digest_batch_worker.rb"
    alone = [r for r in rows(check(worker), sample_app) if r[3] in project_rules]
    assert alone == [r for r in whole if r[0] == "app/workers/digest_batch_worker.rb"]
    assert [r[3] for r in alone] == ["WL107"]


def test_the_readme_nested_settings_example_is_a_valid_nested_file(tmp_path):
    import re

    from workerlint.app import registry
    from workerlint.core import settings

    readme = (REPO / "README.md").read_text()
    example = next(b for b in re.findall(r"```toml\n(.*?)```", readme, re.S) if "billing/" in b)
    nested = tmp_path / ".workerlint.toml"
    nested.write_text(example)
    loaded = settings.load(nested, registry, nested=True)
    assert loaded.ignore == ("WL202",)
    assert loaded.rule_options("WL201") == {"timeout-seconds": 5}
