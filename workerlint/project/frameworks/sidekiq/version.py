"""The Sidekiq version and gems from ``Gemfile.lock`` (or the setting), and the whole setup."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from workerlint.core.fs import DISK, FileSystem, read_text
from workerlint.lang.ruby.nodes import NOT_LITERAL
from workerlint.project.frameworks.sidekiq.setup import SidekiqSetup, build_setup
from workerlint.project.frameworks.sidekiq.sidekiq_ruby import UnitFor

if TYPE_CHECKING:
    from workerlint.core.settings import Settings
    from workerlint.lang.ruby.index import RubyIndex
    from workerlint.project.frameworks.sidekiq.setup_cache import SetupCache


_LOCK_SPEC = re.compile(r"^    ([A-Za-z0-9_.-]+) \(([^)]+)\)\s*$")


def parse_version(text: str) -> tuple[int, ...] | None:
    numbers = re.findall(r"\d+", text.split("-")[0])
    return tuple(int(n) for n in numbers[:3]) if numbers else None


def read_version(root: Path, sidekiq_version: str | None, fs: FileSystem = DISK) -> SidekiqSetup:
    """The version facts only: from ``Gemfile.lock`` (``sidekiq (X.Y.Z)``) or the setting; and
    the gems the lock file names, with the line of each (the first, for messages)."""
    version_text = None
    source = None
    gems: dict[str, int] = {}
    versions: dict[str, str] = {}
    lock = root / "Gemfile.lock"
    try:
        lines = read_text(fs, lock).splitlines()
    except OSError:
        lines = []
    for number, line in enumerate(lines, 1):
        match = _LOCK_SPEC.match(line)
        if match:
            gems.setdefault(match.group(1), number)
            versions.setdefault(match.group(1), match.group(2))
            if match.group(1) == "sidekiq" and version_text is None:
                version_text = match.group(2)
                source = f"Gemfile.lock:{number}"
    if sidekiq_version:
        version_text, source = sidekiq_version, "setting sidekiq-version"
    version = parse_version(version_text) if version_text else None
    rails = versions.get("activejob") or versions.get("rails")
    return SidekiqSetup(
        version,
        version_text,
        source,
        frozenset(gems),
        gem_lines=tuple(sorted(gems.items())),
        active_job_version=parse_version(rails) if rails else None,
        active_job_version_text=rails,
    )


def read_setup(
    root: Path,
    sidekiq_version: str | None,
    settings: Settings | None = None,
    index: RubyIndex | None = None,
    fs: FileSystem = DISK,
    unit_for: UnitFor | None = None,
    cache: SetupCache | None = None,
) -> SidekiqSetup:
    """The SidekiqSetup of a project (frameworks/sidekiq/setup.py builds all but the version)."""
    base = read_version(root, sidekiq_version, fs)
    env = settings.env_map if settings is not None else {}
    environments = settings.environments if settings is not None else None

    def constant(name: str) -> object:
        return index.constant(name, ()) if index is not None else NOT_LITERAL

    return build_setup(root, base, env, environments, constant, fs, unit_for, cache)


def gemfile_lock(version: str) -> dict[str, str]:
    """A ``Gemfile.lock`` pinning Sidekiq ``version`` (for tests of projects on that version)."""
    lock = f"GEM\n  remote: https://rubygems.org/\n  specs:\n    sidekiq ({version})\n"
    return {"Gemfile.lock": lock}
