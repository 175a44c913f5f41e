"""A run loads only the front end of the languages it meets: a Ruby project's one-file run never
imports the Python checks of the rules (core/rule.py, FolderCheck), the Python model, walk, the Celery
setup, nor PyYAML when its YAML documents come from the setup cache; a Python project's run never
imports the rules' Ruby checks; loading the catalogue loads neither; and skipping the Python
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
    "workerlint.lang.python.model",  # the index's Python facts: no Python file, no facts
    "workerlint.lang.python.derived",
    "workerlint.lang.python.walk",
    "workerlint.project.frameworks.celery.setup",
    "workerlint.project.frameworks.celery.model",
    "workerlint.project.frameworks.celery.commands",
)
# Loaded by a run that lints no Ruby file, in a project without Ruby files: never (its empty
# Ruby index and its Sidekiq setup of defaults need none of them).
RUBY_ONLY = (
    "workerlint.lang.ruby.model",
    "workerlint.lang.ruby.semantic",
    "workerlint.lang.ruby.walk",
    "workerlint.lang.ruby.provenance.analysis",
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
    assert not _checks(loaded, "python")
    assert len(_checks(loaded, "ruby")) > 20
    assert not set(PYTHON_ONLY) & loaded, set(PYTHON_ONLY) & loaded
    assert "yaml" not in loaded  # the Sidekiq YAML came from the setup cache
    assert not set(ONLY_WHEN_ASKED) & loaded, set(ONLY_WHEN_ASKED) & loaded


def _checks(loaded: set[str], language: str) -> set[str]:
    return {m for m in loaded if m.startswith("workerlint.rules.") and m.endswith(f".{language}")}


def test_a_python_one_file_run_loads_them_and_no_ruby_check(tmp_path):
    """The probe above sees what a run imports: a Python project's run imports all of it, and
    none of the rules' Ruby checks (a Ruby project's run imports them)."""
    root = tmp_path / "app"
    copy_project(PYTHON_APP, root)
    assert not list(root.rglob("*.rb"))
    task = sorted(p for p in root.rglob("tasks.py"))[0]
    full = set(_loaded_modules(root, tmp_path / "full.txt", "."))
    assert len(_checks(full, "python")) > 20
    assert not _checks(full, "ruby")
    _edit(task, "1")
    loaded = set(_loaded_modules(root, tmp_path / "one.txt", task.relative_to(root).as_posix()))
    assert not _checks(loaded, "ruby")
    assert _checks(loaded, "python")
    assert not set(RUBY_ONLY) & loaded, set(RUBY_ONLY) & loaded
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


def test_loading_the_catalogue_loads_no_front_end():
    """Every rule class holds its docs and metadata only: the catalogue loads the core."""
    probe = (
        "import sys\n"
        "from workerlint.app import registry\n"
        "before = set(sys.modules)\n"
        "assert len(registry.all_rules()) > 30\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))\n"
    )
    env = {**os.environ, "PYTHONSAFEPATH": "1"}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    loaded = done.stdout.split()
    assert "workerlint.rules" in loaded
    outside = [
        m
        for m in loaded
        if m.startswith("workerlint.")
        and not m.startswith(("workerlint.rules", "workerlint.core."))
    ]
    assert outside == []
    assert not [m for m in loaded if m.startswith("tree_sitter")]


@pytest.mark.parametrize("language", ["ruby", "python"])
def test_a_folder_check_is_imported_on_first_use_and_checked(language):
    from workerlint.app import registry

    having = [r for r in registry.all_rules() if r.has_check(language)]
    assert len(having) > 20
    for rule in having:
        held = next(vars(k)[language] for k in rule.__mro__ if language in vars(k))
        assert isinstance(held, FolderCheck), rule.code
        assert held.module == f"{rule.__module__}.{language}"
        check = getattr(rule, language)
        assert isinstance(check, type) and issubclass(check, LanguageCheck)
        assert getattr(rule, language) is check  # once
    without = [r for r in registry.all_rules() if not r.has_check(language)]
    assert all(getattr(r, language) is None for r in without)

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


def _project(root: Path, project: str, inputs: dict[str, str]) -> None:
    """A fixture project copied to ``root``, or the files of ``inputs`` (``"...-inputs"``)."""
    if project.endswith("-inputs"):
        for relpath, text in inputs.items():
            (root / relpath).parent.mkdir(parents=True, exist_ok=True)
            (root / relpath).write_text(text)
    else:
        copy_project(REPO / "fixtures" / project, root)


def _same_with_every_check(root: Path, capsys, run_every) -> list[str]:
    """Check ``root`` as it is, then after ``run_every()`` patched the runner to run every
    project check of a language: the exit code, findings and notes (but the timing line) are
    the same. The codes whose check then ran."""

    def check() -> tuple[int, str, list[str]]:
        code = cli.main(["check", str(root), "--no-cache", "--output-format", "json", "-v"])
        out, err = capsys.readouterr()
        notes = err.replace(str(root), "ROOT").splitlines()
        assert [line for line in notes if " file(s) with " in line]
        return code, out, [line for line in notes if " file(s) with " not in line]

    lazy = check()
    ran = run_every()
    eager = check()
    assert lazy[0] == eager[0]
    assert json.loads(lazy[1]) == json.loads(eager[1])
    assert lazy[2] == eager[2]
    return ran


def _every(monkeypatch, language: str, check=None):
    """What makes the runner choose every rule's project check of ``language``, as it did
    before the language's files (or the setup) counted: the codes whose check then ran."""
    ran: list[str] = []

    def every(rule, *asked):
        if check is not None:
            check(rule, *asked)
        held = runner.project_check(rule, language)
        if held is not None:
            ran.append(rule.code)
        return held

    def run_every() -> list[str]:
        monkeypatch.setattr(runner, f"_{language}_project_check", every)
        return ran

    return run_every


@pytest.mark.parametrize("project", ["sample_app", "config", "clean", "python-inputs"])
def test_the_python_project_checks_are_silent_without_python_files(
    project, tmp_path, monkeypatch, capsys
):
    """What app/runner.py's ``_python_project_check`` relies on: in a project without Python
    files, running every rule's Python project check changes nothing (findings, notes)."""
    root = tmp_path / "app"
    _project(root, project, RUBY_WITH_PYTHON_INPUTS)
    assert not list(root.rglob("*.py"))
    ran = _same_with_every_check(root, capsys, _every(monkeypatch, "python"))
    assert len(ran) >= 10, ran


PYTHON_WITH_RUBY_INPUTS = {
    "proj/tasks.py": (
        "from celery import shared_task\nimport requests\n\n\n@shared_task\n"
        "def ping(url):\n    requests.get(url)\n"
    ),
    "proj/settings.py": "CELERY_BROKER_URL = 'redis://localhost'\n",
    "requirements.txt": "celery==5.3.0\nredis==4.0.0\n",
    "docker-compose.yml": "services:\n  worker:\n    command: celery -A proj worker -c 8\n",
}


@pytest.mark.parametrize("project", ["python_app", "celeryconfig_app", "python-inputs"])
def test_the_ruby_project_checks_are_silent_on_a_setup_of_defaults_only(
    project, tmp_path, monkeypatch, capsys
):
    """What app/runner.py's ``_ruby_project_check`` relies on: in a project without Ruby files
    whose Sidekiq setup holds only Sidekiq's defaults, running every rule's Ruby project check
    changes nothing (findings, notes)."""
    root = tmp_path / "app"
    _project(root, project, PYTHON_WITH_RUBY_INPUTS)
    assert not list(root.rglob("*.rb"))

    def defaults_only(rule, index, setup):
        assert setup.defaults_only

    ran = _same_with_every_check(root, capsys, _every(monkeypatch, "ruby", defaults_only))
    assert len(ran) >= 9, ran


def test_a_python_project_with_a_sidekiq_command_runs_the_ruby_project_checks(tmp_path, capsys):
    """The other side of the line: a Procfile starting Sidekiq puts the project into the setup,
    and its Ruby checks report on it (WL103: concurrency above the database pool)."""
    root = tmp_path / "app"
    _project(root, "python-inputs", PYTHON_WITH_RUBY_INPUTS)
    (root / "Procfile").write_text("worker: bundle exec sidekiq -c 50\n")
    (root / "config").mkdir()
    (root / "config/database.yml").write_text("production:\n  adapter: postgresql\n  pool: 5\n")
    cli.main(["check", str(root), "--no-cache", "--output-format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    where = [
        (d["code"], Path(d["path"]).relative_to(root).as_posix(), d["start_line"]) for d in found
    ]
    assert where == [("WL102", "config/database.yml", 3), ("WL201", "proj/tasks.py", 7)]
