"""Byte and name prefilters that spare work in a cold run (the Speed issue) are exact: what they
skip would have given nothing, so the findings and facts are the same without them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES

from workerlint.app.linter import Options
from workerlint.app.runner import ProjectRun, project_settings
from workerlint.lang.python.libraries import enqueues
from workerlint.lang.ruby import model
from workerlint.lang.ruby.model import FileFacts
from workerlint.lang.ruby.provenance import analysis
from workerlint.lang.ruby.unit import RubyUnit
from workerlint.project.files import discover

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
