"""Locked versions of the Python packages the rules ask about (celery, django, redis, kombu,
dramatiq, rq) — PYTHON.md §9 "Locked versions": ``poetry.lock``, ``uv.lock``, ``pdm.lock``,
``Pipfile.lock``, else a ``==`` pin in ``requirements*.txt``; else the ``celery-version``
setting for celery; else unknown (version-dependent rules stay silent).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable

from workerlint.core.records import record

PACKAGES = (
    "celery", "django", "redis", "kombu", "dramatiq", "rq", "django-rq",
    # circuit breakers (WL202: active when one is locked)
    "pybreaker", "circuitbreaker", "aiobreaker", "purgatory",
)  # fmt: skip
LOCK_FILES = ("poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock")
_PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*==\s*([0-9][0-9A-Za-z.+\-]*)")


@record(frozen=True)
class Locked:
    """A package's version: its text (``5.4.0``), the numbers, and the file that says so (or
    ``celery-version setting``)."""

    package: str
    text: str
    source: str

    @property
    def number(self) -> tuple[int, ...]:
        parts = []
        for part in self.text.split("."):
            digits = re.match(r"\d+", part)
            if digits is None:
                break
            parts.append(int(digits.group()))
        return tuple(parts)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _toml_packages(data: bytes) -> dict[str, str]:
    try:
        loaded = tomllib.loads(data.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError:
        return {}
    found = {}
    for package in loaded.get("package", []):
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            version = package.get("version")
            if isinstance(version, str):
                found[normalise(package["name"])] = version
    return found


def _pipfile(data: bytes) -> dict[str, str]:
    try:
        loaded = json.loads(data)
    except ValueError:
        return {}
    found = {}
    for section in ("default", "develop"):
        for name, spec in (loaded.get(section) or {}).items():
            version = spec.get("version", "") if isinstance(spec, dict) else ""
            if isinstance(version, str) and version.startswith("=="):
                found.setdefault(normalise(name), version[2:])
    return found


def requirements(data: bytes) -> dict[str, str]:
    found = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        match = _PIN.match(line.split("#", 1)[0])
        if match:
            found.setdefault(normalise(match.group(1)), match.group(2))
    return found


def read_versions(
    read: Callable[[str], bytes | None],
    requirement_files: list[str],
    celery_setting: str | None = None,
) -> dict[str, Locked]:
    """The locked version of each of PACKAGES that a lock file or pin names."""
    found: dict[str, Locked] = {}
    for name in LOCK_FILES:
        data = read(name)
        if data is None:
            continue
        table = _pipfile(data) if name == "Pipfile.lock" else _toml_packages(data)
        for package in PACKAGES:
            if package in table and package not in found:
                found[package] = Locked(package, table[package], name)
    for relpath in requirement_files:
        data = read(relpath)
        if data is None:
            continue
        table = requirements(data)
        for package in PACKAGES:
            if package in table and package not in found:
                found[package] = Locked(package, table[package], relpath)
    if "celery" not in found and celery_setting:
        found["celery"] = Locked("celery", celery_setting, "celery-version setting")
    return found
