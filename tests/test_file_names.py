"""A project file's name as ``kind_of`` reads it (project/files.py ``_name``): worked out on the
string, the same as ``PurePosixPath(relpath).name`` for every path."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from workerlint.project.files import FileKind, _name, kind_of

PATHS = [
    "app/workers/a.rb", "Procfile", "deploy/Procfile.worker", "a//b", "./a", "a/./b", "a/b/.",
    "a/b/", "", ".", "..", "a/..", "//x/y", "x y/docker-compose.yml", "config/sidekiq.yml",
]  # fmt: skip


@pytest.mark.parametrize("relpath", PATHS)
def test_the_name_is_pathlibs(relpath):
    assert _name(relpath) == PurePosixPath(relpath).name


def test_kinds_by_name():
    assert kind_of("deploy/Procfile.worker") == FileKind.PROCFILE
    assert kind_of("vendor/Gemfile.lock") == FileKind.GEMFILE_LOCK
    assert kind_of("a/b/.") is None


FOLDERS = ["/p/config", "/p/config/", "config", "/", "//p/config"]
UNDER = [
    "/p/config", "/p/config/a.rb", "/p/config/initializers/x.rb", "/p/configs/a.rb", "/p/conf",
    "/p/app/config/a.rb", "config/a.rb", "configx", "/config/a.rb", "//p/config/a.rb", "/p",
]  # fmt: skip


@pytest.mark.parametrize("folder", FOLDERS)
def test_under_is_is_relative_to(folder):
    """The runner's test of whether a path is in the configuration folder, on the text."""
    from pathlib import Path

    from workerlint.app.runner import _under

    under = _under(Path(folder))
    for path in UNDER:
        assert under(Path(path)) == Path(path).is_relative_to(Path(folder)), (folder, path)


COMMAND_FILES = [
    "supervisor/worker.conf", "etc/supervisord.conf", "deploy/supervisor.d/a.conf", "x.conf",
    "supervisor/x.ini", "s6/worker/run", "etc/s6-overlay/s6-rc.d/celery/run", "s6/run/",
    "worker/run", "run", "s6", "supervisor.conf/", "docs/running.md", "s6/running",
]  # fmt: skip


@pytest.mark.parametrize("relpath", COMMAND_FILES)
def test_command_files_as_pathlib_reads_them(relpath):
    """Supervisor and s6 files: a path naming neither is told so from its text first."""
    from workerlint.project.frameworks.celery.commands import is_s6_run, is_supervisor

    path = PurePosixPath(relpath)
    assert is_supervisor(relpath) == (
        path.suffix == ".conf"
        and (path.name.startswith("supervisor") or any("supervisor" in p for p in path.parts[:-1]))
    )
    assert is_s6_run(relpath) == (
        path.name == "run" and any(p.startswith("s6") for p in path.parts[:-1])
    )
