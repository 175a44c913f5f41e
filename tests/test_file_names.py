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
