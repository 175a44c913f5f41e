"""The real pre-commit (from PyPI) with this repository as the hook source, as the README says.

pre-commit clones the hook repository at a commit and pip-installs it into its own virtualenv, so
this needs git and PyPI; it is skipped (or, under WORKERLINT_REQUIRE_INTEGRATION=1, fails) when
either is missing. The hook source is a temporary repository holding this working tree's files
committed once, so the test checks the code under test, not the last commit.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DIGEST_WORKER, HTTP_WORKER, REPO, write_files
from integration_support import unavailable

from workerlint.project.frameworks.sidekiq.version import gemfile_lock

GIT_ENV = {
    "GIT_AUTHOR_NAME": "workerlint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "workerlint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


APP = {
    **gemfile_lock("7.2.4"),
    "Gemfile": 'source "https://rubygems.org"\ngem "sidekiq"\n',
    "config/sidekiq.yml": "---\nconcurrency: 5\nqueues:\n  - default\n  - low\n",
    "app/models/account.rb": "class Account < ActiveRecord::Base\nend\n",
    "app/workers/digest_worker.rb": DIGEST_WORKER,
}


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV, "HOME": str(cwd.parent)},
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
    )


def _readme_config() -> str:
    """The `.pre-commit-config.yaml` the README shows, exactly."""
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    config = [b for b in blocks if "id: workerlint" in b]
    assert len(config) == 1, "the README shows one pre-commit configuration"
    return config[0]


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    if shutil.which("git") is None:
        unavailable("git is not installed")
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if pre_commit is None:
        unavailable("pre-commit is not installed (pip install '.[test]')")
    base = tmp_path_factory.mktemp("precommit")
    source = base / "workerlint"
    listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for rel in filter(None, listed.stdout.split("\0")):
        if (REPO / rel).is_file() and ".workerlint_cache" not in rel:
            target = source / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, target)
    _git(source, "init", "-q", "-b", "main")
    _git(source, "add", "-A")
    _git(source, "commit", "-q", "-m", "workerlint under test")
    sha = _git(source, "rev-parse", "HEAD").stdout.strip()
    config = _readme_config().replace("https://github.com/OWNER/workerlint", str(source))
    config = config.replace("FULL_COMMIT_SHA", sha)
    home = base / "home"
    home.mkdir()
    return {"pre_commit": pre_commit, "config": config, "cache": base / "cache", "home": home}


def _app(tmp_path: Path, hooks: dict[str, object], config: str | None = None) -> Path:
    app = write_files(tmp_path / "app", APP)
    (app / ".pre-commit-config.yaml").write_text(config or str(hooks["config"]))
    _git(app, "init", "-q", "-b", "main")
    _git(app, "add", "-A")
    _git(app, "commit", "-q", "-m", "initial", "--no-verify")
    return app


def _commit(app: Path, hooks: dict[str, object], message: str) -> subprocess.CompletedProcess[str]:
    _git(app, "add", "-A")
    env = {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(hooks["cache"]),
        "HOME": str(hooks["home"]),
        "NO_COLOR": "1",
    }
    proc = subprocess.run(
        [str(hooks["pre_commit"]), "run", "--hook-stage", "pre-commit"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if "Could not find a version" in proc.stdout + proc.stderr or (
        "pip" in proc.stdout + proc.stderr and "Network is unreachable" in proc.stdout + proc.stderr
    ):
        unavailable("pre-commit could not install the hook: PyPI is unreachable")
    if proc.returncode == 0:
        _git(app, "commit", "-q", "-m", message, "--no-verify")
    return proc


def test_a_bad_worker_is_blocked(tmp_path, hooks):
    app = _app(tmp_path, hooks)
    (app / "app/workers/ping_worker.rb").write_text(HTTP_WORKER)
    proc = _commit(app, hooks, "add a worker")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "app/workers/ping_worker.rb:5:14: warning: WL201 " in proc.stdout, proc.stdout


def test_a_config_change_that_leaves_a_queue_unprocessed_is_blocked(tmp_path, hooks):
    app = _app(tmp_path, hooks)
    (app / "config/sidekiq.yml").write_text("---\nconcurrency: 5\nqueues:\n  - default\n")
    proc = _commit(app, hooks, "drop the low queue")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "app/workers/digest_worker.rb:3:26: error: WL107 " in proc.stdout, proc.stdout


def test_spec_files_are_not_checked(tmp_path, hooks):
    app = _app(tmp_path, hooks)
    (app / "spec/workers").mkdir(parents=True)
    (app / "spec/workers/ping_worker_spec.rb").write_text(HTTP_WORKER)
    proc = _commit(app, hooks, "a spec")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_fix_hook_fixes_and_the_second_commit_passes(tmp_path, hooks):
    config = str(hooks["config"]).replace("id: workerlint ", "id: workerlint-fix ")
    assert "id: workerlint-fix" in config
    app = _app(tmp_path, hooks, config)
    worker = app / "app/workers/digest_worker.rb"
    counted = DIGEST_WORKER.replace(".touch\n", ".touch\n    Account.count\n")
    worker.write_text(counted.replace("count\n", "count # workerlint:disable WL201\n"))
    first = _commit(app, hooks, "an unused suppression")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert worker.read_text() == counted
    second = _commit(app, hooks, "an unused suppression, fixed")
    assert second.returncode == 0, second.stdout + second.stderr
    assert _git(app, "status", "--porcelain").stdout == ""
