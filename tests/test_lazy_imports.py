"""A run loads only the front end of the languages it meets: a Ruby project's one-file run never
imports the Python checks of the rules (core/rule.py, FolderCheck), the Python walk, the Celery
setup, nor PyYAML when its YAML documents come from the setup cache; and skipping the Python
project checks in a project without Python files (app/runner.py) changes no finding."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

from workerlint.app import cli, runner
from workerlint.core.rule import FolderCheck, LanguageCheck

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "fixtures/sample_app"
PYTHON_APP = REPO / "fixtures/python_app"

# Loaded by a run that lints no Python file, in a project without Python files: never.
PYTHON_ONLY = (
    "workerlint.lang.python.walk",
    "workerlint.project.frameworks.celery.setup",
    "workerlint.project.frameworks.celery.model",
    "workerlint.project.frameworks.celery.commands",
)
# Loaded only when asked for: the TOML parser by a settings file to read (core/settings.py), the
# baseline (and, through it, hashlib and OpenSSL) by --baseline or --write-baseline (app/cli.py);
# the index's fingerprint takes blake2b from core/digest.py, not from hashlib.
ONLY_WHEN_ASKED = ("tomllib", "workerlint.core.baseline", "hashlib", "_hashlib")


def _loaded_modules(root: Path, out: Path, *paths: str) -> list[str]:
    """The modules a `workerlint check PATHS` in ``root`` imported (``out`` is outside it)."""
    probe = (
        "import sys\n"
        "from workerlint.app.cli import main\n"
        f"code = main(['check', *{list(paths)!r}, '--output-format', 'json'])\n"
        f"print('\\n'.join(sorted(sys.modules)), file=open({str(out)!r}, 'w'))\n"
        "sys.exit(0)\n"
    )
    env = {**os.environ, "NO_COLOR": "1", "PYTHONSAFEPATH": "1"}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return out.read_text().split()


def _edit(path: Path, tag: str) -> None:
    path.write_bytes(path.read_bytes() + f"\n# edited {tag}\n".encode())


def test_a_ruby_one_file_run_does_not_load_the_python_front_end_or_pyyaml(tmp_path):
    root = tmp_path / "app"
    copy_project(SAMPLE, root)
    assert (root / "config/sidekiq.yml").is_file()
    worker = next(iter(sorted((root / "app/workers").glob("*.rb"))))
    relpath = worker.relative_to(root).as_posix()
    _loaded_modules(root, tmp_path / "full.txt", ".")  # writes the caches
    _edit(worker, "1")
    _loaded_modules(root, tmp_path / "one.txt", relpath)  # and the one-file run's listing
    _edit(worker, "2")
    loaded = set(_loaded_modules(root, tmp_path / "one.txt", relpath))
    assert "workerlint.app.runner" in loaded  # the file was linted, not replayed
    assert "workerlint.rules" in loaded
    assert not {m for m in loaded if m.startswith("workerlint.rules.") and m.endswith(".python")}
    assert not set(PYTHON_ONLY) & loaded, set(PYTHON_ONLY) & loaded
    assert "yaml" not in loaded  # the Sidekiq YAML came from the setup cache
    assert not set(ONLY_WHEN_ASKED) & loaded, set(ONLY_WHEN_ASKED) & loaded


def test_a_python_one_file_run_loads_them(tmp_path):
    """The probe above sees what a run imports: a Python project's run imports all of it."""
    root = tmp_path / "app"
    copy_project(PYTHON_APP, root)
    task = sorted(p for p in root.rglob("tasks.py"))[0]
    _loaded_modules(root, tmp_path / "full.txt", ".")
    _edit(task, "1")
    loaded = set(_loaded_modules(root, tmp_path / "one.txt", task.relative_to(root).as_posix()))
    assert {m for m in loaded if m.startswith("workerlint.rules.") and m.endswith(".python")}
    assert "workerlint.lang.python.walk" in loaded
    # The setup itself comes from celery.json (app/celery_cache.py): its model is decoded.
    assert "workerlint.project.frameworks.celery.model" in loaded
    assert "tomllib" in loaded  # its pyproject.toml is read for [tool.workerlint]


def test_a_baseline_loads_the_baseline_module(tmp_path):
    """The probe sees the baseline module when --write-baseline or --baseline asks for it."""
    root = tmp_path / "app"
    copy_project(SAMPLE, root)
    baseline = tmp_path / "baseline.json"
    written = set(_loaded_modules(root, tmp_path / "w.txt", ".", "--write-baseline", str(baseline)))
    assert baseline.is_file()
    read = set(_loaded_modules(root, tmp_path / "r.txt", ".", "--baseline", str(baseline)))
    for loaded in (written, read):
        assert {"workerlint.core.baseline", "hashlib"} <= loaded


def test_a_folder_check_is_imported_on_first_use_and_checked():
    from workerlint.app import registry

    with_python = [r for r in registry.all_rules() if r.has_check("python")]
    assert len(with_python) > 20
    for rule in with_python:
        held = next(vars(k)["python"] for k in rule.__mro__ if "python" in vars(k))
        assert isinstance(held, FolderCheck), rule.code
        assert held.module == f"{rule.__module__}.python"
        check = rule.python
        assert isinstance(check, type) and issubclass(check, LanguageCheck)
        assert rule.python is check  # once
    without = [r for r in registry.all_rules() if not r.has_check("python")]
    assert all(r.python is None for r in without)

    class NotACheck:
        __module__ = "workerlint.core"
        rule = FolderCheck("Rule")  # workerlint.core.rule.Rule: a Rule, not a LanguageCheck

    class Missing:
        __module__ = "workerlint.core"
        python = FolderCheck("Nothing")  # workerlint.core.python does not exist

    with pytest.raises(TypeError):
        _ = NotACheck.rule
    with pytest.raises(ModuleNotFoundError):
        _ = Missing.python


RUBY_WITH_PYTHON_INPUTS = {
    "app/workers/ping_worker.rb": (
        "class PingWorker\n  include Sidekiq::Job\n\n  def perform(url)\n"
        "    Net::HTTP.get(URI(url))\n  end\nend\n"
    ),
    "config/sidekiq.yml": ":concurrency: 50\n:queues:\n  - default\n  - mailers\n",
    "Procfile": (
        "web: bundle exec puma\nworker: bundle exec sidekiq -c 50\n"
        "celery: celery -A proj worker --concurrency 64 -Q missing --prefetch-multiplier 8\n"
        "beat: celery -A proj beat\nrq: rq worker high low\n"
    ),
    "docker-compose.yml": (
        "services:\n  worker:\n    command: celery -A proj worker -P gevent -c 500\n"
        "  dramatiq:\n    command: dramatiq proj.tasks --processes 4\n"
    ),
    "requirements.txt": "celery==5.3.0\nredis==4.0.0\n",
    "Gemfile.lock": "GEM\n  specs:\n    sidekiq (7.1.0)\n",
}


@pytest.mark.parametrize("project", ["sample_app", "config", "clean", "python-inputs"])
def test_the_python_project_checks_are_silent_without_python_files(
    project, tmp_path, monkeypatch, capsys
):
    """What app/runner.py's ``_python_project_check`` relies on: in a project without Python
    files, running every rule's Python project check changes nothing (findings, notes)."""
    root = tmp_path / "app"
    if project == "python-inputs":
        for relpath, text in RUBY_WITH_PYTHON_INPUTS.items():
            (root / relpath).parent.mkdir(parents=True, exist_ok=True)
            (root / relpath).write_text(text)
    else:
        copy_project(REPO / "fixtures" / project, root)
    assert not list(root.rglob("*.py"))

    def check() -> tuple[int, str, str]:
        code = cli.main(["check", str(root), "--no-cache", "--output-format", "json", "-v"])
        out, err = capsys.readouterr()
        return code, out, err.replace(str(root), "ROOT")

    lazy = check()
    ran: list[str] = []

    def every(rule, index):  # the check as it was chosen before the Python files counted
        if not rule.has_check("python") or not runner._has_project_check(rule.python):
            return None
        ran.append(rule.code)
        return rule.python

    monkeypatch.setattr(runner, "_python_project_check", every)
    eager = check()
    assert len(ran) >= 10, ran
    timing = [line for line in lazy[2].splitlines() if " file(s) with " in line]

    def without_timing(err: str) -> list[str]:
        return [line for line in err.splitlines() if " file(s) with " not in line]

    assert timing
    assert lazy[0] == eager[0]
    assert json.loads(lazy[1]) == json.loads(eager[1])
    assert without_timing(lazy[2]) == without_timing(eager[2])
