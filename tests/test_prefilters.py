"""Byte and name prefilters that spare work in a cold run (the Speed issue) are exact: what they
skip would have given nothing, so the findings and facts are the same without them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import FIXTURES

from workerlint.app.linter import Options
from workerlint.app.runner import ProjectRun, project_settings
from workerlint.core.diagnostics import SourceText
from workerlint.lang.python import nodes
from workerlint.lang.python.index import PythonIndex
from workerlint.lang.python.libraries import enqueues
from workerlint.lang.python.semantic import SemanticModel
from workerlint.lang.python.unit import PythonUnit
from workerlint.lang.ruby import model
from workerlint.lang.ruby.model import FileFacts
from workerlint.lang.ruby.provenance import analysis
from workerlint.lang.ruby.unit import RubyUnit
from workerlint.project.files import discover

if TYPE_CHECKING:
    from tree_sitter import Tree

PYTHON_PROJECTS = sorted(
    p for p in [*FIXTURES.iterdir(), *(FIXTURES / "config").iterdir()] if any(p.rglob("*.py"))
)


class _Everything(frozenset[str]):
    """A name set holding every name: the receiver-name prefilter turned off."""

    def __contains__(self, item: object) -> bool:
        return True


def _findings(root: Path) -> list[tuple[str, str, int, int, str]]:
    tree = project_settings(root, None, {"select": ["ALL"]})
    run = ProjectRun(root, tree, Options(use_cache=False), [], [])
    files = discover([root], root, fs=run.fs).files
    found = []
    for outcome in run.check(files):
        for d in outcome.diagnostics:
            found.append((outcome.file.relpath, d.code, d.span.start, d.span.end, d.message))
    return sorted(found)


@pytest.mark.parametrize("root", PYTHON_PROJECTS, ids=lambda p: p.name)
def test_python_enqueue_prefilters_change_no_finding(root, monkeypatch):
    on = _findings(root)
    monkeypatch.setattr(enqueues, "_ON_RECEIVER", _Everything())
    monkeypatch.setattr(enqueues, "_may_enqueue_bare", lambda ctx: True)
    monkeypatch.setattr(enqueues, "_wrapper_names", lambda ctx: None)
    assert _findings(root) == on


def test_the_python_prefilters_are_exercised():
    """The fixtures hold enqueues the prefilters must let through, and calls they stop."""
    assert any(_findings(root) for root in PYTHON_PROJECTS)
    assert "delay" in enqueues._ON_RECEIVER and "get" not in enqueues._ON_RECEIVER
    assert b"async_task" in enqueues._BARE_WORDS and b"django_rq" in enqueues._BARE_WORDS


def _forced(unit: RubyUnit) -> FileFacts:
    """The facts with the provenance analysis run whatever the file's bytes."""
    facts = unit.extracted[0]
    found = analysis.analyse(unit.syntax.tree.root_node, facts, unit.classes, unit.semantic)
    return replace(facts, enqueues=found.sites) if found.sites else facts


RUBY_FILES = sorted(p for p in FIXTURES.rglob("*.rb") if b"deliver_later" in p.read_bytes())


@pytest.mark.parametrize("path", RUBY_FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_ruby_facts_are_the_same_with_the_analysis_forced(path):
    data = path.read_bytes()
    assert RubyUnit("app/x.rb", data).facts == _forced(RubyUnit("app/x.rb", data))


MAILER_ONLY = b"""\
class DigestSender
  def deliver(users)
    users.each { |user| DigestMailer.digest(user.id).deliver_later }
    params[:ids].each { |id| DigestMailer.digest(id).deliver_later }
  end
end
"""

SPLIT_CLIENT = b"""\
class Exporter
  def export(user)
    UserMailer.export(user.id).deliver_later
    Sidekiq::
      Client.push("class" => ExportWorker, "args" => [user.id])
  end
end
"""


def test_a_file_that_only_delivers_mail_is_not_analysed_for_its_facts():
    assert not analysis.may_enqueue(MAILER_ONLY)
    unit = RubyUnit("app/services/digest_sender.rb", MAILER_ONLY)
    assert unit.facts == unit.extracted[0]
    assert "provenance" not in unit.semantic.derived
    # What a rule asks later (of_context's facts: the classes alone) is what the analysis with
    # the whole facts finds: the loops' request input.
    fresh = RubyUnit("app/services/digest_sender.rb", MAILER_ONLY)
    whole = analysis.analyse(
        fresh.syntax.tree.root_node, fresh.extracted[0], fresh.classes, fresh.semantic
    )
    slim = FileFacts(unit.relpath, tuple(c.facts for c in unit.classes))
    asked = analysis.analyse(unit.syntax.tree.root_node, slim, unit.classes, unit.semantic)
    assert asked.seen.loops and asked.seen.loops.keys() == whole.seen.loops.keys()
    assert [str(t) for t in asked.seen.loops.values()] == [
        str(t) for t in whole.seen.loops.values()
    ]
    assert asked.sites == whole.sites == ()


def test_a_client_push_written_over_two_lines_is_still_analysed():
    assert analysis.may_enqueue(SPLIT_CLIENT)
    unit = RubyUnit("app/services/exporter.rb", SPLIT_CLIENT)
    assert [s.target for s in unit.facts.enqueues] == ["ExportWorker"]


CONFIG_CASES = {
    "faraday_options": "Faraday.default_connection_options = { request: { timeout: 5 } }\n",
    "faraday_key": "Faraday.default_connection_options.request.timeout = 5\n",
    "faraday_connection": (
        "Faraday.default_connection = Faraday.new(request: { open_timeout: 2, timeout: 5 })\n"
    ),
    "adapter": (
        "module Shop\n  class Application < Rails::Application\n"
        "    config.active_job.queue_adapter = :sidekiq\n  end\nend\n"
    ),
    "semian": "Semian::NetHTTP.semian_configuration = proc { |host, port| nil }\n",
    "push": "Sidekiq.transactional_push!\n",
    "aware_client": (
        "Sidekiq.default_job_options = { 'client_class' => ::Sidekiq::TransactionAwareClient }\n"
    ),
}
CONFIG_FILES = sorted([*FIXTURES.rglob("*.rb"), *(FIXTURES.parent / "rules").rglob("examples.rb")])


def _config_facts(data: bytes, monkeypatch: pytest.MonkeyPatch | None = None) -> FileFacts:
    """The facts of ``data`` read as a configuration file; with ``monkeypatch``, with the
    configuration word prefilters off (every file walked)."""
    if monkeypatch is not None:
        monkeypatch.setattr(model, "_CONFIG_WORDS", (b"",))
        monkeypatch.setattr(model, "_EXTERNAL_CALL_WORDS", (b"",))
    try:
        return RubyUnit("config/initializers/x.rb", data).extracted[0]
    finally:
        if monkeypatch is not None:
            monkeypatch.undo()


def test_configuration_word_prefilters_change_no_fact(monkeypatch):
    """Every fixture Ruby file and each written case, read as a file under config/: the same
    facts with the prefilters as with every file walked; and each case gives its fact."""
    for path in CONFIG_FILES:
        data = path.read_bytes()
        assert _config_facts(data) == _config_facts(data, monkeypatch), path
    plain = FileFacts("config/initializers/x.rb")
    for name, source in CONFIG_CASES.items():
        facts = _config_facts(source.encode())
        assert facts == _config_facts(source.encode(), monkeypatch), name
        assert replace(facts, classes=(), constants=(), constant_keys=()) != plain, name


@dataclass
class _PythonContext:
    """What ``enqueues.classify`` reads of a file (a PythonContext's part)."""

    source: SourceText
    tree: Tree
    semantic: SemanticModel
    index: PythonIndex
    relpath: str = "shop/views.py"
    memo: dict[tuple[str, int, int], Any] = field(default_factory=dict)


def _python_context(source: str, module: str = "shop.views") -> _PythonContext:
    files = {"shop/__init__.py": "", "shop/views.py": source}
    units = {rel: PythonUnit(rel, text.encode()) for rel, text in files.items()}
    index = PythonIndex({rel: u.facts for rel, u in units.items()})
    unit = units["shop/views.py"]
    return _PythonContext(SourceText(unit.data), unit.tree, unit.semantic(module), index)


def _bare_calls(ctx: _PythonContext) -> list[Any]:
    found = []
    stack = [ctx.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "call" and nodes.receiver(node) is None:
            found.append(node)
        stack.extend(node.named_children)
    return found


WRAPPED = """\
from shop.tasks import notify_task

def notify(order):
    notify_task.delay(order.id)

def plain(order):
    return str(order)

def view(orders):
    for order in orders:
        plain(order)
        notify(order)
"""


def test_a_bare_call_is_classified_only_by_a_name_that_may_be_a_wrapper():
    """Only the name of a function whose body calls by an enqueue method's name is resolved: a
    module whose other bare calls are all others builds no semantic model for them."""
    ctx = _python_context(WRAPPED)
    assert enqueues._wrapper_names(ctx) == frozenset({"notify"})
    found = {nodes.call_name(c): enqueues.classify(c, ctx) for c in _bare_calls(ctx)}
    assert found["notify"] is not None and found["notify"].label == "notify"
    assert found["plain"] is None and found["str"] is None
    # It still holds an enqueue method's name (``delay``), so that each bare call is asked about.
    plain = _python_context(WRAPPED.replace("notify_task.delay(order.id)", "run(delay=order.id)"))
    assert enqueues._may_enqueue_bare(plain)
    assert all(enqueues.classify(c, plain) is None for c in _bare_calls(plain))
    assert "_scopes" not in plain.semantic.__dict__  # no name was resolved


def test_any_bare_call_may_enqueue_where_a_library_function_may_be_named():
    assert (
        enqueues._wrapper_names(_python_context("from django_q.tasks import async_task\n")) is None
    )
    assert enqueues._wrapper_names(_python_context("import django_rq\n")) is None
    own = _python_context("def enqueue(f):\n    return f.delay()\n", module="django_rq")
    assert enqueues._wrapper_names(own) is None
