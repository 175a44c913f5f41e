"""The relevance gate (app/gate.py): exact, so findings are the same with it on and off."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import FIXTURES, run_cli, write_files

from workerlint.app import gate
from workerlint.app.linter import Options
from workerlint.app.runner import ProjectRun, project_settings
from workerlint.core.rule import LanguageCheck, Rule
from workerlint.lang.python.walk import KEYWORDS as PYTHON_KEYWORDS
from workerlint.lang.ruby.walk import KEYWORDS as RUBY_KEYWORDS
from workerlint.project.files import discover

PROJECTS = sorted(
    [p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "config"]
    + [p for p in (FIXTURES / "config").iterdir() if p.is_dir()]
)


def _findings(root: Path, gate_off: bool, *flags: str) -> list[dict]:
    env = {"WORKERLINT_NO_GATE": "1"} if gate_off else {}
    result = run_cli(
        "check", ".", "--output-format", "json", "--no-cache", "--exit-zero", *flags,
        cwd=root, env=env,
    )  # fmt: skip
    assert result.code == 0, result.err
    return json.loads(result.out)["diagnostics"]


@pytest.mark.parametrize("root", PROJECTS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_every_fixture_gives_the_same_findings_with_the_gate_on_and_off(root):
    on = _findings(root, False, "--select", "ALL")
    assert on == _findings(root, True, "--select", "ALL")
    assert _findings(root, False) == _findings(root, True)


def _gated(root: Path) -> int:
    tree = project_settings(root, None, {})
    run = ProjectRun(root, tree, Options(use_cache=False), [], [])
    files = discover([root], root, fs=run.fs).files
    run.check(files)
    return sum(linter.gated_files for linter in run._linters.values())


def test_the_gate_skips_files_that_no_rule_can_report_in(monkeypatch):
    assert _gated(FIXTURES / "sample_app") > 0
    monkeypatch.setenv("WORKERLINT_NO_GATE", "1")
    assert _gated(FIXTURES / "sample_app") == 0


class _Walker(LanguageCheck):
    call_names = frozenset({"get", "add?", "[]="})
    node_types: ClassVar[frozenset[str]] = frozenset({"while"})
    worker_code_only = False


def _gate_of(*checks: type[LanguageCheck]) -> gate.Gate | None:
    return gate.Gate.build(
        [c(Rule()) for c in checks], [(c.call_names, c.node_types) for c in checks], RUBY_KEYWORDS
    )


def test_words_are_whole_words_from_the_subscriptions():
    found = _gate_of(_Walker)
    assert found is not None
    assert found.relevant(b"x.get(1)", False, False)
    assert found.relevant(b"while true do end", False, False)
    assert found.relevant(b"s.add?(1)", False, False)
    assert found.relevant(b"h.[]=(1, 2)", False, False)
    assert not found.relevant(b"x.get_all(1); target; forget", False, False)
    assert not found.relevant(b"s.add(1); awhile", False, False)
    assert not found.relevant(b"x.\xc3\xa9get", False, False)  # a non-ASCII letter joins


def test_a_node_type_written_without_a_keyword_is_always_relevant():
    class Assigns(_Walker):
        node_types: ClassVar[frozenset[str]] = frozenset({"assignment"})

    found = _gate_of(Assigns)
    assert found is not None and found.relevant(b"nothing here", False, False)


def test_worker_code_only_rules_need_worker_code_and_declared_rules_their_words():
    class Workers(_Walker):
        worker_code_only = True

    class Declared(_Walker):
        gate_words = frozenset({"perform"})
        gate_worker_classes = True

    workers = _gate_of(Workers)
    assert workers is not None
    assert not workers.relevant(b"x.get(1)", False, False)
    assert workers.relevant(b"x.get(1)", True, False)
    declared = _gate_of(Declared)
    assert declared is not None
    assert not declared.relevant(b"def perform; end", True, False)
    assert declared.relevant(b"def perform; end", True, True)
    assert not declared.relevant(b"x.get(1)", True, True)


def test_fewer_words_where_there_is_no_worker_class():
    class Definitions(_Walker):
        node_types: ClassVar[frozenset[str]] = frozenset({"method"})
        call_names = frozenset({"retry"})
        gate_words_without_worker_classes = frozenset({"retry", "max_tries"})

    found = _gate_of(Definitions)
    assert found is not None
    assert found.relevant(b"def perform; end", False, True)
    assert not found.relevant(b"def perform; end", False, False)
    assert not found.relevant(b"def perform; end", True, False)
    assert found.relevant(b"def perform; retry; end", False, False)
    assert found.relevant(b"class S; max_tries = 3; end", False, False)


def test_fewer_words_without_worker_code_where_the_caller_says_they_apply():
    class Enqueues(_Walker):
        node_types: ClassVar[frozenset[str]] = frozenset({"while"})
        call_names = frozenset({"get"})
        gate_words_without_worker_code = frozenset({"delay"})

    found = _gate_of(Enqueues)
    assert found is not None and found.narrows
    loop = b"while x do get(1) end"
    assert found.relevant(loop, False, False)  # not narrowed: its words
    assert not found.relevant(loop, False, False, narrow=True)
    assert found.relevant(loop, True, False, narrow=True)  # worker code: its words
    assert found.relevant(b"while x do t.delay(1) end", False, False, narrow=True)
    # A file relevant before the index was known (``plain``) is looked at again when narrowed.
    assert not found.relevant(loop, False, True, plain=True, narrow=True)
    assert found.relevant(loop, True, False, plain=True, narrow=True)
    assert not found.relevant(b"t.delay(1)", False, False, plain=False, narrow=False)
    assert not _gate_of(_Walker).narrows


HUEY_PROJECT = {
    "pyproject.toml": '[project]\nname = "app"\ndependencies = ["huey"]\n',
    "app/__init__.py": "",
    "app/tasks.py": (
        'from huey import RedisHuey\n\nhuey = RedisHuey("app")\n\n\n'
        "@huey.task()\ndef notify(user_id):\n    return user_id\n"
    ),
    # No enqueue method's name: the Huey task is called by the name its import binds.
    "app/views.py": (
        "from app.tasks import notify as ping\n\n\n"
        "def view(ids):\n    for i in ids:\n        ping(i)\n"
    ),
}


def test_a_huey_task_called_by_any_name_outside_task_code_keeps_its_module(tmp_path):
    root = write_files(tmp_path, HUEY_PROJECT)
    on = _findings(root, False, "--select", "ALL")
    assert [(f["path"].rsplit("/", 1)[-1], f["code"]) for f in on] == [("views.py", "WL601")]
    assert on == _findings(root, True, "--select", "ALL")


def test_always_relevant_rules_and_the_switch_turn_the_gate_off(monkeypatch):
    class Hooks(_Walker):
        always_relevant = True

    assert _gate_of(Hooks) is None
    monkeypatch.setenv("WORKERLINT_NO_GATE", "1")
    assert _gate_of(_Walker) is None


RUBY_SAMPLE = b"""
class A; end
module B; end
def m; end
def self.s; end
while a; end
until a; end
x while a
x until a
x if a
x unless a
x rescue nil
if a then b end
unless a then b end
case a when 1 then 2 end
for i in a do end
"""
PYTHON_SAMPLE = b"""
def f(): pass
class C: pass
for i in a: pass
async def g():
    async for i in a: pass
    async with b: pass
while a: pass
if a: pass
elif b: pass
x = not a
l = [i for i in a]
s = {i for i in a}
d = {i: i for i in a}
g = (i for i in a)
with a: pass
h = lambda: 1
"""


@pytest.mark.parametrize("language", ["ruby", "python"])
def test_every_node_type_of_the_keyword_tables_is_written_with_its_keyword(language):
    import re

    if language == "ruby":
        from workerlint.lang.ruby.parse import parse

        keywords, tree = RUBY_KEYWORDS, parse(RUBY_SAMPLE)
    else:
        from workerlint.lang.python.parse import parse

        keywords, tree = PYTHON_KEYWORDS, parse(PYTHON_SAMPLE)
    seen: set[str] = set()
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        word = keywords.get(node.type)
        if word is not None:
            seen.add(node.type)
            assert re.search(rb"\b" + word.encode() + rb"\b", node.text or b""), node.type
    assert seen == set(keywords)
