"""Engine behaviour: suppression, WL001, isolation of failing rules, fixes, discovery, the index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import HTTP_WORKER, ORDER_MODEL, RELATION_WORKER, copy_project

from workerlint import Applicability, Edit, Fix, LanguageCheck, Level, Rule
from workerlint.app import registry
from workerlint.app.linter import Options
from workerlint.app.runner import run
from workerlint.core.diagnostics import SourceText
from workerlint.project.files import discover
from workerlint.project.frameworks.sidekiq.version import gemfile_lock
from workerlint.project.index import build_index


def found(root: Path, *, select: tuple[str, ...] | None = None, **options) -> list[tuple]:
    overrides = {"select": select} if select else {}
    result = run([root], Options(use_cache=False, **options), overrides=overrides)
    rows = []
    for d in result.diagnostics:
        source = SourceText(d.path.read_bytes()) if d.path.is_file() else SourceText(b"")
        pos = source.position(d.span.start)
        rows.append((d.path.relative_to(root).as_posix(), pos.line, pos.column, d.code, d.message))
    return rows


# -- suppression --------------------------------------------------------------------------------


SUPPRESSED = """\
class PingWorker
  include Sidekiq::Job

  def perform(url)
    HTTParty.get(url) # workerlint:disable WL201 -- the proxy enforces 5 s
    # workerlint:disable-next-line http-call-without-timeout
    HTTParty.get(url)
    # workerlint:disable WL201
    HTTParty.get(url)
    HTTParty.post(url)
    # workerlint:enable WL201
    HTTParty.put(url)
  end
end
"""


def test_suppressions_line_next_line_and_region(project):
    root = project({"app/workers/ping_worker.rb": SUPPRESSED})
    rows = found(root)
    assert [(r[1], r[3]) for r in rows] == [(12, "WL201")]


def test_unused_suppressions_are_reported_and_fixed(project):
    root = project(
        {
            "app/workers/ping_worker.rb": (
                "class A\n"
                "  include Sidekiq::Job\n"
                "  def perform\n"
                "    x = 1 # workerlint:disable WL201, WL301\n"
                "    # workerlint:disable-next-line WL999\n"
                "    y = 2\n"
                "  end\n"
                "end\n"
            ),
        }
    )
    rows = found(root)
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        (4, 11, "WL002", "suppression of WL201, WL301 silenced nothing"),
        (5, 5, "WL002", "names no known rule: WL999"),
    ]
    run([root], Options(use_cache=False, fix=True))
    assert (root / "app/workers/ping_worker.rb").read_text() == (
        "class A\n  include Sidekiq::Job\n  def perform\n    x = 1\n    y = 2\n  end\nend\n"
    )


def test_suppression_of_unselected_rule_is_not_reported(project):
    root = project({"app/workers/a.rb": "x = 1 # workerlint:disable WL201\n"})
    assert found(root, select=("WL002", "WL301")) == []


def test_partly_used_suppression_keeps_the_used_code(project):
    source = HTTP_WORKER.replace(
        "HTTParty.get(url)", "HTTParty.get(url) # workerlint:disable WL201, WL301 -- legacy"
    )
    root = project({"app/workers/ping_worker.rb": source})
    rows = found(root)
    assert [(r[3], r[4]) for r in rows] == [("WL002", "suppression of WL301 silenced nothing")]
    run([root], Options(use_cache=False, fix=True))
    assert (
        "HTTParty.get(url) # workerlint:disable WL201 -- legacy\n"
        in (root / "app/workers/ping_worker.rb").read_text()
    )


def test_directive_inside_a_string_is_not_a_suppression(project):
    source = HTTP_WORKER.replace(
        "HTTParty.get(url)", 'HTTParty.get(url, query: { q: "# workerlint:disable WL201" })'
    )
    root = project({"app/workers/ping_worker.rb": source})
    assert [r[3] for r in found(root)] == ["WL201"]


def test_per_file_ignores(project):
    root = project(
        {
            "app/workers/ping_worker.rb": HTTP_WORKER,
            "app/workers/legacy/old_worker.rb": HTTP_WORKER,
            ".workerlint.toml": '[per-file-ignores]\n"app/workers/legacy/*" = ["WL2"]\n',
        }
    )
    assert [r[0] for r in found(root)] == ["app/workers/ping_worker.rb"]


# -- WL001 -----------------------------------------------------------------------------------------


def test_syntax_error_does_not_lose_other_files(project):
    root = project(
        {
            "app/workers/broken.rb": "class Broken\n  def perform(\nend\n",
            "app/workers/ping_worker.rb": HTTP_WORKER,
        }
    )
    codes = [(r[0], r[3]) for r in found(root)]
    assert codes == [("app/workers/broken.rb", "WL001"), ("app/workers/ping_worker.rb", "WL201")]


def test_non_utf8_binary_and_oversized_files(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    (root / "app/workers/latin1.rb").write_bytes(b"# caf\xe9\nx = 1\n")
    (root / "app/workers/blob.rb").write_bytes(b"\x00\x01\x02")
    (root / "app/workers/huge.rb").write_text("x = 1\n" * 400)
    (root / ".workerlint.toml").write_text("max-file-size = 1000\n")
    rows = found(root)
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        ("app/workers/blob.rb", 1, 1, "WL001", "binary file (NUL byte): not checked"),
        (
            "app/workers/huge.rb",
            1,
            1,
            "WL001",
            "file is 2,400 bytes, over the max-file-size limit of 1,000 bytes: not checked",
        ),
        (
            "app/workers/latin1.rb",
            1,
            6,
            "WL001",
            "file is not valid UTF-8 (byte 0xe9): not checked",
        ),
        ("app/workers/ping_worker.rb", 5, 14, "WL201", rows[-1][4]),
    ]


def test_yaml_syntax_error(project):
    root = project({"config/sidekiq.yml": ":concurrency: 5\n:queues:\n  - [default\n"})
    rows = found(root)
    assert [(r[0], r[3]) for r in rows] == [("config/sidekiq.yml", "WL001")]
    assert rows[0][4].startswith("YAML syntax error: ")


def test_erb_control_flow_in_yaml_is_not_a_syntax_error(project):
    root = project(
        {
            "config/sidekiq.yml": (
                ":concurrency: 5\n<% if ENV['X'] %>\n:queues: [a]\n<% else %>\n:queues: [b\n<% end %>\n"
            ),
        }
    )
    assert found(root) == []


# -- a failing rule ---------------------------------------------------------------------------------


class Explodes(LanguageCheck):
    call_names = frozenset({"get"})

    def visit(self, node, ctx):
        raise ValueError("boom")


class ExplodingRule(Rule):
    """## What it does\nFails.\n## Why is this bad?\nTest.\n## Example\n```ruby\n```\nUse instead:\n"""

    code = "WL990"
    name = "exploding-rule"
    level = Level.WARNING
    summary = "Fails on purpose."
    ruby = Explodes


class BreaksFix(LanguageCheck):
    call_names = frozenset({"get"})

    def visit(self, node, ctx):
        fix = Fix(Applicability.SAFE, "break it", (Edit(node.start_byte, node.start_byte, "end "),))
        ctx.report(node, "bad fix", fix=fix)


class BreakingFixRule(Rule):
    """## What it does\nBreaks code.\n"""

    code = "WL991"
    name = "breaking-fix"
    level = Level.WARNING
    summary = "Offers a fix that does not parse."
    fix_availability = "always"
    ruby = BreaksFix


class ReportsBareCalls(LanguageCheck):
    worker_code_only = False
    call_names = frozenset({"sleep", "fork"})

    def visit(self, node, ctx):
        ctx.report(node, f"{node.type} {node.text.decode()}")


class BareCallRule(Rule):
    """## What it does\nReports bare calls, to test the dispatcher.\n"""

    code = "WL992"
    name = "bare-call"
    level = Level.NOTE
    summary = "Reports sleep and fork calls."
    ruby = ReportsBareCalls


@pytest.fixture
def extra_rules(monkeypatch):
    rules = (*registry.all_rules(), ExplodingRule, BreakingFixRule, BareCallRule)
    registry.all_rules.cache_clear()
    registry._by_token.cache_clear()
    monkeypatch.setattr(registry, "all_rules", lambda: rules)
    yield
    registry._by_token.cache_clear()


def test_bare_identifiers_are_calls_unless_local(project, extra_rules):
    root = project(
        {
            "lib/tasks.rb": (
                "def a\n  sleep\n  fork\n  sleep(1)\nend\n"
                "def b(fork)\n  sleep = 2\n  sleep\n  fork\n  x = fork\nend\n"
            ),
        }
    )
    rows = found(root, select=("WL992",))
    assert [(r[1], r[2], r[4]) for r in rows] == [
        (2, 3, "identifier sleep"),
        (3, 3, "identifier fork"),
        (4, 3, "call sleep(1)"),
    ]


def test_a_failing_rule_becomes_an_internal_error_note(project, extra_rules):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    result = run([root], Options(use_cache=False))
    internal = [d for d in result.diagnostics if d.internal]
    assert len(internal) == 1
    assert internal[0].code == "WL990"
    assert internal[0].message.startswith(
        "internal error in WL990 (exploding-rule): ValueError: boom at test_engine.py:"
    )
    assert result.internal_errors
    assert {d.code for d in result.diagnostics if not d.internal} == {"WL201", "WL991"}


def test_cli_exits_2_on_internal_error(project, extra_rules, capsys, monkeypatch):
    from workerlint.app import cli

    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    monkeypatch.chdir(root)
    assert cli.main(["check", ".", "--no-cache"]) == 2
    assert "internal error in WL990" in capsys.readouterr().out


def test_a_fix_that_breaks_the_parse_is_dropped(project, extra_rules):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    run(
        [root],
        Options(use_cache=False, fix=True, unsafe_fixes=True),
        overrides={"select": ("WL991", "WL201")},
    )
    text = (root / "app/workers/ping_worker.rb").read_text()
    assert text == HTTP_WORKER.replace("HTTParty.get(url)", "HTTParty.get(url, timeout: 10)")


# -- fixes over the sample app -----------------------------------------------------------------------


def test_fixing_the_sample_app_parses_and_is_stable(sample_app):
    from workerlint.lang.ruby.parse import parse

    first = run([sample_app], Options(use_cache=False, fix=True, unsafe_fixes=True))
    assert sum(o.fixed for o in first.outcomes) == 6  # WL201 x2, WL301, WL403 x2, WL002
    for path in sample_app.rglob("*.rb"):
        assert not parse(path.read_bytes()).root_node.has_error, path
    snapshot = {p: p.read_bytes() for p in sample_app.rglob("*") if p.is_file()}
    second = run([sample_app], Options(use_cache=False, fix=True, unsafe_fixes=True))
    assert sum(o.fixed for o in second.outcomes) == 0
    assert {p: p.read_bytes() for p in sample_app.rglob("*") if p.is_file()} == snapshot
    left = sorted((d.code, d.path.name) for d in second.diagnostics)
    # Findings with no fix, or only a display-only suggestion, stay; all of the others are gone.
    assert [(code, name) for code, name in left if code in ("WL201", "WL301", "WL403")] == [
        ("WL201", "http_helpers.rb"),  # display-only: Net::HTTP.get_response
        ("WL301", "report_job.rb"),  # map: no fix
        ("WL403", "subscription_renewal_worker.rb"),  # keyword parameters: no fix
    ]
    assert "WL002" not in {code for code, _ in left}
    assert len(left) == 37


def test_fix_keeps_file_mode(project):
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    path = root / "app/workers/ping_worker.rb"
    path.chmod(0o640)
    run([root], Options(use_cache=False, fix=True, unsafe_fixes=True))
    assert path.stat().st_mode & 0o777 == 0o640
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


# -- discovery ---------------------------------------------------------------------------------------


def test_default_excludes_gitignore_and_exclude_setting(project):
    root = project(
        {
            "app/workers/a.rb": "",
            "spec/workers/a_spec.rb": "",
            "vendor/bundle/gem.rb": "",
            "app/workers/generated/b.rb": "",
            "app/workers/skip_me.rb": "",
            "app/workers/keep.rb": "",
            ".gitignore": "generated/\n*.tmp.rb\n",
            "app/workers/x.tmp.rb": "",
            "config/sidekiq.yml": ":concurrency: 5\n",
            "config/database.yml": "production:\n  pool: 5\n",
            "config/initializers/sidekiq.rb": "Sidekiq.configure_server { |c| }\n",
            "Procfile": "worker: bundle exec sidekiq\n",
            "README.md": "",
        }
    )
    found_files = discover([root], root, ("skip_me.rb",)).files
    assert [(f.relpath, f.kind) for f in found_files] == [
        ("Procfile", "procfile"),
        ("app/workers/a.rb", "ruby"),
        ("app/workers/keep.rb", "ruby"),
        ("config/database.yml", "database-yaml"),
        ("config/initializers/sidekiq.rb", "sidekiq-initializer"),
        ("config/sidekiq.yml", "sidekiq-yaml"),
    ]


def test_named_file_is_checked_unless_force_exclude(project):
    root = project({"spec/workers/a_spec.rb": ""})
    target = root / "spec/workers/a_spec.rb"
    assert [f.relpath for f in discover([target], root).files] == ["spec/workers/a_spec.rb"]
    assert discover([target], root, force_exclude=True).files == []


def test_symlinks_do_not_leave_the_tree_or_loop(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.rb").write_text("")
    root = project({"app/workers/a.rb": ""})
    os.symlink(outside, root / "app/workers/outside")
    os.symlink(root / "app", root / "app/workers/loop")
    result = discover([root], root)
    assert [f.relpath for f in result.files] == ["app/workers/a.rb"]
    assert ("app/workers/outside", "symlink pointing outside the project") in result.skipped


def test_single_file_finds_the_project_root(project):
    root = project(
        {"app/workers/sweep_worker.rb": RELATION_WORKER, "app/models/order.rb": ORDER_MODEL}
    )
    result = run([root / "app/workers/sweep_worker.rb"], Options(use_cache=False))
    assert [d.code for d in result.diagnostics] == ["WL301"]  # Order is known as a model
    assert result.roots == [root]


# -- the index ---------------------------------------------------------------------------------------


def test_worker_classes_through_project_bases(project):
    root = project(
        {
            "app/workers/application_worker.rb": "class ApplicationWorker\n  include Sidekiq::Job\nend\n",
            "app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n",
            "lib/workers/base.rb": "module Workers\n  class Base\n    include Sidekiq::Worker\n  end\nend\n",
            "app/services/a.rb": "class A < ApplicationWorker\nend\n",
            "app/services/b.rb": "module Billing\n  class B < ApplicationJob\n  end\nend\n",
            "app/services/c.rb": "module Workers\n  class C < Base\n  end\nend\n",
            "app/services/d.rb": "class D < Gem::BaseJob\nend\n",
            "app/services/e.rb": "class E\nend\n",
        }
    )
    index = build_index(root, use_cache=False).ruby
    assert [n for n in ("A", "Billing::B", "Workers::C", "D", "E") if index.is_worker(n)] == [
        "A",
        "Billing::B",
        "Workers::C",
    ]
    with_setting = build_index(root, use_cache=False, worker_base_classes=("Gem::BaseJob",)).ruby
    assert with_setting.is_worker("D")


def test_active_job_counts_only_with_sidekiq_or_unknown_adapter(project):
    files = {
        "app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n",
        "app/services/report_job.rb": "class ReportJob < ApplicationJob\nend\n",
    }
    root = project(
        {
            **files,
            "config/application.rb": "module App\n  class Application < Rails::Application\n"
            "    config.active_job.queue_adapter = :good_job\n  end\nend\n",
        }
    )
    assert not build_index(root, use_cache=False).ruby.is_worker("ReportJob")
    (root / "config/environments").mkdir()
    (root / "config/environments/production.rb").write_text(
        "Rails.application.configure do\n  config.active_job.queue_adapter = :sidekiq\nend\n"
    )
    assert build_index(root, use_cache=False).ruby.is_worker("ReportJob")


def test_index_cache_is_reused_and_refreshed(project):
    root = project({"app/models/order.rb": ORDER_MODEL})
    first = build_index(root).ruby
    assert first.is_model("Order")
    assert (root / ".workerlint_cache/index.json").is_file()
    assert (root / ".workerlint_cache/.gitignore").read_text().endswith("*\n")
    (root / "app/models/order.rb").write_text("class Order\nend\n")
    assert not build_index(root).ruby.is_model("Order")


def test_parallel_run_matches_serial(project, monkeypatch):
    from workerlint.app import runner

    files = {f"app/workers/w{i}.rb": HTTP_WORKER.replace("PingWorker", f"W{i}") for i in range(24)}
    root = project(files)
    serial = found(root)
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 10)
    parallel = found(root, jobs=2)
    assert len(parallel) == 24
    assert parallel == serial


def test_a_setup_the_model_cannot_read_is_a_warning_not_a_crash(project, monkeypatch):
    from workerlint.project.frameworks.sidekiq import version as project_module

    def broken(*args, **kwargs):
        raise ValueError("unexpected shape")

    monkeypatch.setattr(project_module, "build_setup", broken)
    root = project({"app/workers/ping_worker.rb": HTTP_WORKER})
    result = run([root], Options(use_cache=False))
    assert [d.code for d in result.diagnostics] == ["WL201"]
    assert result.warnings == [
        f"{root}: could not model the Sidekiq configuration (ValueError: unexpected shape); "
        "the configuration rules (WL1) are silent for this project"
    ]


def test_hostile_inputs_get_a_diagnostic_and_the_run_goes_on(project):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        bomb += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    root = project(
        {
            "config/sidekiq.yml": ":concurrency: 5\n" + bomb,
            "config/database.yml": "production:\n  pool: " + "[" * 500 + "]" * 500 + "\n",
            "app/workers/deep_modules.rb": "module M\n" * 3000 + "end\n" * 3000,
            "app/workers/deep_array.rb": "X = " + "[" * 5000 + "1" + "]" * 5000 + "\n",
            "app/workers/deep_ifs.rb": "if a\n" * 3000 + "end\n" * 3000,
            "app/workers/ping_worker.rb": HTTP_WORKER,
        }
    )
    result = run([root], Options(use_cache=False))
    assert not result.internal_errors
    rows = [(d.path.name, d.code, d.message) for d in result.diagnostics]
    assert rows == [
        ("ping_worker.rb", "WL201", rows[0][2]),
        ("database.yml", "WL001", "YAML not checked: YAML nesting deeper than 200 levels"),
        (
            "sidekiq.yml",
            "WL001",
            "YAML not checked: YAML alias expansion limit exceeded (possible alias bomb)",
        ),
    ]


def test_an_engine_failure_on_one_file_keeps_the_others(project, monkeypatch):
    from workerlint.lang.ruby import model

    real = model.extract

    def flaky(tree, path):
        if path.endswith("cursed_worker.rb"):
            raise RuntimeError("cursed")
        return real(tree, path)

    monkeypatch.setattr(model, "extract", flaky)  # every reader extracts through the unit
    root = project(
        {
            "app/workers/cursed_worker.rb": HTTP_WORKER.replace("PingWorker", "CursedWorker"),
            "app/workers/ping_worker.rb": HTTP_WORKER,
        }
    )
    result = run([root], Options(use_cache=False), overrides={"select": ("WL201",)})
    rows = [(d.path.name, d.code, d.internal) for d in result.diagnostics]
    assert rows == [("cursed_worker.rb", "WL000", True), ("ping_worker.rb", "WL201", False)]
    assert result.diagnostics[0].message.startswith(
        "internal error while checking this file: RuntimeError: cursed at test_engine.py:"
    )
    assert "app/workers/cursed_worker.rb: not indexed: RuntimeError: cursed" in result.notes


def _fixture_projects() -> list[Path]:
    from conftest import FIXTURES

    return [
        FIXTURES / "sample_app",
        *sorted(p for p in (FIXTURES / "config").iterdir() if p.is_dir()),
    ]


@pytest.mark.parametrize("fixture", _fixture_projects(), ids=lambda p: p.name)
def test_fixing_every_fixture_parses_and_a_second_run_changes_nothing(fixture, tmp_path):

    from workerlint.formats.yaml import YamlError, load_yaml
    from workerlint.lang.ruby.parse import parse

    copy = tmp_path / fixture.name
    copy_project(fixture, copy)
    run([copy], Options(use_cache=False, fix=True, unsafe_fixes=True))
    for path in copy.rglob("*"):
        if path.suffix == ".rb":
            assert not parse(path.read_bytes()).root_node.has_error, path
        elif path.name.endswith((".yml", ".yml.erb")):
            assert not isinstance(load_yaml(path.read_bytes(), {}), YamlError), path
    snapshot = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    second = run([copy], Options(use_cache=False, fix=True, unsafe_fixes=True))
    assert sum(o.fixed for o in second.outcomes) == 0
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == snapshot


def test_selection_specificity_and_explicit_names():
    selection = registry.select(["WL2", "unbatched-relation-iteration"], ignore=["WL20"])
    assert [r.code for r in selection.rules] == ["WL301"]
    assert selection.explicit == frozenset({"WL301"})
    selection = registry.select(None, ignore=["WL2"], extend_select=["WL201"])
    assert "WL201" in [r.code for r in selection.rules]
    assert selection.explicit == frozenset({"WL201"})
    with pytest.raises(registry.SelectionError, match="did you mean `WL201`"):
        registry.select(["WL2011"])


def test_crlf_and_multibyte_positions_and_fixes(project):
    source = (
        "class StockWorker\r\n  include Sidekiq::Job\r\n\r\n  def perform(sku)\r\n"
        '    http = Net::HTTP.new("stock.internal", 443)\r\n'
        '    x = "café ✓"; http.get("/skus/#{sku}")\r\n  end\r\nend\r\n'
    )
    root = project({})
    path = root / "app/workers/stock_worker.rb"
    path.parent.mkdir(parents=True)
    path.write_bytes(source.encode())
    [diagnostic] = found(root)
    assert diagnostic[1:4] == (6, 24, "WL201")  # characters (bytes would say 27)
    run([root], Options(use_cache=False, fix=True, unsafe_fixes=True))
    fixed = path.read_bytes()
    assert b'443)\r\n    http.read_timeout = 10\r\n    x = "caf' in fixed
    assert fixed.count(b"\n") == fixed.count(b"\r\n")


def test_suppressions_in_yaml(project):
    root = project(
        {
            **gemfile_lock("7.2.4"),
            "config/sidekiq.yml": (
                ":concurrency: 80 # workerlint:disable WL103 -- one big box\n"
                ":queues: # workerlint:disable queue-starvation\n  - a\n  - b\n  - c\n"
                "# workerlint:disable-next-line WL104\n:timout: 3\n"
                ":verbose: true # workerlint:disable WL105\n"
            ),
        }
    )
    rows = found(root)
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        (8, 16, "WL002", "suppression of WL105 silenced nothing"),
    ]


def test_nested_projects_are_checked_as_projects_of_their_own(project):
    root = project(
        {
            "app/workers/ping_worker.rb": HTTP_WORKER,
            "apps/billing/Gemfile": 'source "https://rubygems.org"\n',
            "apps/billing/app/workers/sweep_worker.rb": RELATION_WORKER,
            "apps/billing/app/models/order.rb": ORDER_MODEL,
            "apps/billing/.workerlint.toml": 'ignore = ["WL2"]\n',
            "apps/billing/app/workers/ping_worker.rb": HTTP_WORKER,
        }
    )
    result = run([root], Options(use_cache=False))
    assert result.roots == [root, root / "apps/billing"]
    rows = [(d.path.relative_to(root).as_posix(), d.code) for d in result.diagnostics]
    # the nested project's model makes its WL301 finding; its settings ignore WL2
    assert rows == [
        ("app/workers/ping_worker.rb", "WL201"),
        ("apps/billing/app/workers/sweep_worker.rb", "WL301"),
    ]


def test_checking_the_fixtures_folder_checks_each_fixture_project():
    from conftest import FIXTURES, REPO

    result = run([FIXTURES], Options(use_cache=False))
    nested = sorted(r.relative_to(FIXTURES).as_posix() for r in result.roots[1:])
    # fixtures/ has no marker (its config/ folder is not one): it belongs to this repository's
    # project (pyproject.toml); each fixture with a Gemfile is a project of its own
    assert result.roots[0] == REPO
    # (each fixture with a Gemfile or a pyproject.toml)
    configs = ["config/" + p.name for p in sorted((FIXTURES / "config").iterdir())]
    assert nested == sorted(["celeryconfig_app", *configs, "python_app", "sample_app"])
    per_project = {r: run([r], Options(use_cache=False)).diagnostics for r in result.roots[1:]}
    assert len(result.diagnostics) == sum(len(d) for d in per_project.values()) == 120


def test_findings_left_after_fix_match_a_fresh_run(tmp_path):

    from conftest import FIXTURES

    copy = tmp_path / "app"
    copy_project(FIXTURES / "config/sidekiq65_sections", copy)
    fixed = run([copy], Options(use_cache=False, fix=True, unsafe_fixes=True))
    fresh = run([copy], Options(use_cache=False))

    def rows(result):
        return [(d.path.name, d.span, d.code, d.message) for d in result.diagnostics]

    assert sum(o.fixed for o in fixed.outcomes) == 3
    assert rows(fixed) == rows(fresh)
    assert [r[2] for r in rows(fresh)] == ["WL105", "WL106", "WL105"]


def test_a_run_that_prints_no_notes_does_not_gather_the_python_summary(tmp_path, monkeypatch):
    """The Python index's summary (``--verbose``) asks for every module's tasks: a run without
    --verbose does not gather it, and finds the same."""
    from conftest import FIXTURES

    from workerlint.app import runner

    root = copy_project(FIXTURES / "python_app", tmp_path / "app")
    summaries: list[str] = []
    summary = runner._python_notes
    monkeypatch.setattr(
        runner, "_python_notes", lambda index: summaries.extend(summary(index)) or summaries[-1:]
    )
    quiet = run([root / "orders"], Options(use_cache=False, notes=False))
    assert summaries == [] and not [n for n in quiet.notes if "Python files; tasks:" in n]
    told = run([root / "orders"], Options(use_cache=False))
    assert len(summaries) == 1 and summaries[0] in told.notes
    assert summaries[0].startswith("indexed ") and "Python files; tasks: " in summaries[0]
    assert [d.code for d in quiet.diagnostics] == [d.code for d in told.diagnostics]
    assert quiet.diagnostics and quiet.diagnostics == told.diagnostics


def test_verbose_prints_the_python_summary_and_a_quiet_run_the_same_findings(tmp_path):
    from conftest import FIXTURES, run_cli

    root = copy_project(FIXTURES / "python_app", tmp_path / "app")
    told = run_cli("check", "orders", "--verbose", "--no-cache", cwd=root)
    quiet = run_cli("check", "orders", "--no-cache", cwd=root)
    assert "Python files; tasks: " in told.err and "Python files; tasks: " not in quiet.err
    assert (told.code, told.out) == (quiet.code, quiet.out) and told.code == 1
