"""Provenance (RULES.md, "Provenance"): what enqueue sites pass, per job argument position,
resolved across the project; cached with each file's facts; and what rules do with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXPORT_WORKER, EXPORTS_CONTROLLER
from test_parse_once import _CountingParser, digest

from workerlint.app.linter import Options
from workerlint.app.runner import run
from workerlint.core.settings import SettingsError
from workerlint.lang.ruby import parse as parse_module
from workerlint.lang.ruby.index import RubyIndex
from workerlint.lang.ruby.model import FileFacts
from workerlint.lang.ruby.unit import RubyUnit
from workerlint.project import codec
from workerlint.project.files import FileKind, kind_of

WORKERS = """\
class ExportWorker
  include Sidekiq::Job
  def perform(kind, account_id, format = "csv"); end
end

class LoopWorker
  include Sidekiq::Job
  def perform(step)
    LoopWorker.perform_in(5.minutes, step)
  end
end

class RenderJob < ActiveJob::Base
  def perform(page_id, template:); end
end

class Export < ApplicationRecord
end
"""


FAN_OUT = """\
class FanOutWorker
  include Sidekiq::Job
  def perform(ids, options)
    ids.each { |id| ExportWorker.perform_async(id, options["account"]) }
  end
end
"""


def index_of(files: dict[str, str]) -> RubyIndex:
    facts = {path: RubyUnit(path, text.encode()).facts for path, text in files.items()}
    return RubyIndex(files=facts)


def shown(index: RubyIndex, worker: str, position: int, keyword: str = "", key: str = "") -> str:
    found = index.provenance.of(worker, position, keyword, key)
    return f"{found.kind}: {found.reason or found.shown()}"


def test_request_stored_internal_and_no_site():
    index = index_of(
        {
            "app/workers/workers.rb": WORKERS,
            "app/controllers/exports_controller.rb": """\
class ExportsController < ApplicationController
  before_action :load_export

  def create
    enqueue(params[:kind])
    ExportWorker.perform_in(1.hour, @export.kind, @export.id)
  end

  private

  def enqueue(kind)
    ExportWorker.perform_async(kind, current_account.id)
  end

  def load_export
    @export = Export.find(params[:id])
  end
end
""",
        }
    )
    assert shown(index, "ExportWorker", 0) == (
        "request: `params[:kind]` in app/controllers/exports_controller.rb:5 -> "
        "`enqueue(kind)` -> `ExportWorker.perform_async`"
    )
    # The schedule of perform_in is not a job argument; an id is internal.
    assert shown(index, "ExportWorker", 1) == (
        "internal: `@export.id` in app/controllers/exports_controller.rb:6 -> "
        "`ExportWorker.perform_in`"
    )
    assert shown(index, "ExportWorker", 2) == (
        "internal: it keeps its default value (no enqueue of `ExportWorker` passes it)"
    )
    assert shown(index, "RenderJob", 0) == (
        "unknown: no enqueue site of `RenderJob` in the project shows where it comes from"
    )


def test_stored_needs_a_model_and_a_forwarded_argument_has_its_provenance():
    index = index_of(
        {
            "app/workers/workers.rb": WORKERS,
            "app/workers/fan_out_worker.rb": FAN_OUT,
            "app/models/export.rb": """\
class Report
  def self.run(report)
    FanOutWorker.perform_async(report.ids, { "account" => Export.find(1).name, "n" => 1 })
    FanOutWorker.perform_async(report.title, {})
  end
end
""",
        }
    )
    # Export is a model: its attribute is stored data; `report` is a parameter no caller in the
    # class binds: unknown.
    assert shown(index, "FanOutWorker", 0).startswith("unknown: `report` in app/models/export.rb:2")
    assert "`report.ids`" not in shown(index, "FanOutWorker", 0)  # ids are internal
    assert shown(index, "FanOutWorker", 1).startswith("stored: `Export.find(1).name`")
    # FanOutWorker passes options["account"] on: its own provenance, through its perform.
    assert shown(index, "ExportWorker", 1) == (
        "stored: `Export.find(1).name` in app/models/export.rb:3 -> `FanOutWorker.perform_async`"
        " -> `perform(options)` -> `ExportWorker.perform_async`"
    )
    # A sink reading one key of a literal Hash gets that key's provenance.
    assert shown(index, "FanOutWorker", 1, key="n").startswith("internal: `1` in")


def test_a_cycle_alone_is_unknown_and_keywords_match_by_name():
    index = index_of(
        {
            "app/workers/workers.rb": WORKERS,
            "app/controllers/pages_controller.rb": """\
class PagesController < ApplicationController
  def update
    RenderJob.set(wait: 1.second).perform_later(page.id, template: params[:template])
  end
end
""",
        }
    )
    assert shown(index, "LoopWorker", 0) == (
        "unknown: only a cycle of workers passes it to `LoopWorker`"
    )
    assert shown(index, "RenderJob", -1, "template").startswith("request: `params[:template]`")
    assert shown(index, "RenderJob", 0) == (
        "internal: `page.id` in app/controllers/pages_controller.rb:3 -> `RenderJob.perform_later`"
    )


BULK = """\
class Sync
  def call(accounts)
    ExportWorker.perform_bulk(accounts.map { |a| name = a.name; [params[:kind], name] })
    Sidekiq::Client.push("class" => "ExportWorker", "args" => ["csv", 1, cookies[:fmt]])
  end
end
"""


def test_bulk_rows_and_client_push():
    index = index_of({"app/workers/workers.rb": WORKERS, "app/services/sync.rb": BULK})
    assert shown(index, "ExportWorker", 0).startswith("request: `params[:kind]`")
    # The rows' element of a parameter no caller binds: unknown.
    assert shown(index, "ExportWorker", 1).startswith(
        "unknown: `accounts` in app/services/sync.rb:2"
    )
    assert shown(index, "ExportWorker", 2).startswith("request: `cookies[:fmt]`")


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        # A class that cannot be resolved does not override the known sites of a worker.
        ("klass.constantize.perform_async(1)", 'internal: `"pdf"`'),
        # Passing nothing, it changes no argument.
        ("klass.constantize.perform_async", 'internal: `"pdf"`'),
        # A local or a ternary naming job classes is resolved.
        ("job = ExportWorker\n    job.perform_async(1)", 'internal: `"pdf"`'),
    ],
)
def test_an_enqueue_whose_class_is_not_known(site, expected):
    scheduler = f"class Scheduler\n  def run(klass)\n    {site}\n  end\nend\n"
    index = index_of(
        {
            "app/workers/workers.rb": WORKERS,
            "app/services/scheduler.rb": scheduler,
            "app/services/pdf.rb": 'class Pdf\n  def go = ExportWorker.perform_async("pdf")\nend\n',
        }
    )
    assert shown(index, "ExportWorker", 0).startswith(expected)


def test_an_unresolved_enqueue_counts_for_a_worker_with_no_site():
    scheduler = (
        "class Scheduler\n  def run(klass)\n    klass.constantize.perform_async(1)\n  end\nend\n"
    )
    index = index_of({"app/workers/workers.rb": WORKERS, "app/services/scheduler.rb": scheduler})
    found = index.provenance.of("ExportWorker", 0)
    assert (found.kind, found.unreached) == ("unknown", False)
    assert found.reason == (
        "it may come from an enqueue whose job class is not known "
        "(`klass.constantize.perform_async` in app/services/scheduler.rb:3)"
    )


def test_sites_survive_the_cache_codec():
    facts = RubyUnit("app/services/sync.rb", BULK.encode()).facts
    data = json.loads(json.dumps(codec.encode(facts, FileFacts)))
    assert codec.decode(data, FileFacts) == facts
    assert facts.enqueues and facts.enqueues[0].label == "ExportWorker.perform_bulk"
    shape = json.dumps(codec.shape(FileFacts))
    assert "EnqueueSite" in shape and "Source" in shape  # a change to them drops the cache


CONTROLLER = EXPORTS_CONTROLLER
SINK = EXPORT_WORKER


def test_one_file_warm_sees_every_site_without_parsing_them(project, tmp_path, monkeypatch):
    root = project(
        {"app/controllers/exports_controller.rb": CONTROLLER, "app/workers/export_worker.rb": SINK}
    )
    log = tmp_path / "parses.log"
    log.touch()
    counting = _CountingParser(parse_module._parser(), log)
    monkeypatch.setattr(parse_module, "_parser", lambda: counting)
    run([root], Options())  # fills the cache
    log.write_text("")
    result = run(
        [root / "app/workers/export_worker.rb"], Options(), overrides={"select": ("WL401",)}
    )
    parsed = log.read_text().split()
    controller = digest(CONTROLLER.encode())
    assert controller not in parsed and digest(SINK.encode()) in parsed
    (finding,) = result.diagnostics
    assert finding.level.label == "error"
    assert "`params[:kind]` in app/controllers/exports_controller.rb:3" in finding.message


def test_the_removed_option_is_a_settings_error_naming_it(project):
    root = project(
        {
            "app/workers/export_worker.rb": SINK,
            ".workerlint.toml": "[rules.WL401]\nwhole-url-arguments = true\n",
        }
    )
    with pytest.raises(
        SettingsError, match=r"the option `whole-url-arguments` of WL401 .* was removed"
    ):
        run([root], Options(use_cache=False))


def test_rake_tasks_are_ruby_application_code():
    assert kind_of("lib/tasks/accounts.rake") == FileKind.RAKE
    assert kind_of("engines/billing/lib/tasks/bill.rake") == FileKind.RAKE
    assert kind_of("Rakefile") is None and kind_of("lib/accounts.rake") is None
    assert FileKind.RAKE in FileKind.RUBY_KINDS
    hooks = Path(".pre-commit-hooks.yaml").read_text()
    assert hooks.count(r"\.rake$") == 2


LOOPS = """\
class SyncsController < ApplicationController
  def create
    params[:ids].each { |id| SyncWorker.perform_async(id) }
    Account.find_each { |account| SyncWorker.perform_async(account.id) }
  end
end
"""


def test_sarif_names_the_flooding_weakness_only_on_request_fed_loops(project):
    from workerlint.core.output import sarif

    root = project(
        {
            "app/controllers/syncs_controller.rb": LOOPS,
            "app/workers/sync_worker.rb": "class SyncWorker\n  include Sidekiq::Job\nend\n",
            "app/models/account.rb": "class Account < ApplicationRecord\nend\n",
        }
    )
    result = run([root], Options(use_cache=False), overrides={"select": ("WL601",)})
    document = json.loads(sarif.render(result, root))
    results = document["runs"][0]["results"]
    levels = [(r["level"], r.get("properties", {}).get("tags")) for r in results]
    assert levels == [("error", ["external/cwe/cwe-770"]), ("warning", None)]
    rules = {r["id"]: r for r in document["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["WL601"]["properties"]["security-severity"] == "6.5"


def test_parameters_of_a_method_its_class_calls_come_from_the_callers():
    """A method called only through `before_action` starts the analysis; the methods it calls
    get what it passes (here the body of the request, parsed)."""
    index = index_of(
        {
            "app/workers/workers.rb": WORKERS,
            "app/controllers/hooks_controller.rb": """\
class HooksController < ApplicationController
  before_action :handle

  def handle
    @body = JSON.parse(request.body.read)
    relay(@body["type"].downcase)
  end

  def relay(kind)
    ExportWorker.perform_async(kind)
  end
end
""",
        }
    )
    assert shown(index, "ExportWorker", 0) == (
        "request: `request.body.read` in app/controllers/hooks_controller.rb:5 -> "
        "`relay(kind)` -> `ExportWorker.perform_async`"
    )


def test_each_node_a_source_starts_at_is_described_once(monkeypatch):
    """The engine reaches a source once per path and call context: the spec describes its
    node once (ProvenanceSpec._describe), and the facts are the same."""
    from workerlint.lang.ruby import enqueue

    source = """\
class Checkout
  def call
    3.times do |n|
      ExportWorker.perform_async(params[:kind], lookup(n), lookup(n))
      ExportWorker.perform_async(params[:kind], lookup(n), lookup(n)) if n > 1
    end
  end

  def lookup(n)
    n > 0 ? Export.find(params[:id]) : Export.last
  end
end
"""
    expected = index_of({"app/services/checkout.rb": source}).files["app/services/checkout.rb"]
    described: list[tuple[int, int]] = []
    real = enqueue.describe

    def counted(node, limit=40):  # type: ignore[no-untyped-def]
        described.append((node.start_byte, node.end_byte))
        return real(node, limit)

    monkeypatch.setattr(enqueue, "describe", counted)
    found = index_of({"app/services/checkout.rb": source}).files["app/services/checkout.rb"]
    assert found.enqueues == expected.enqueues and len(found.enqueues) == 2
    assert described and len(described) == len(set(described))
