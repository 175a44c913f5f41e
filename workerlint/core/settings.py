"""Settings from ``[tool.workerlint]`` in pyproject.toml or from ``.workerlint.toml``.

The project's settings file is found by walking up from the project root; command-line flags
override it. A ``.workerlint.toml`` below the root is a nested file holding only per-file
settings, layered over the root's for its subtree (core/layers.py); this module parses both.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import Any, Protocol

from workerlint.core.diagnostics import Level
from workerlint.core.fs import DISK, FileSystem
from workerlint.core.records import record

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024


class SettingsError(ValueError):
    """An invalid settings file or value."""


class RuleInfo(Protocol):
    """What settings need to know of a rule (a Rule class has these attributes)."""

    code: str
    name: str
    option_defaults: Mapping[str, Any]
    removed_options: Mapping[str, str]  # options a version removed -> what replaces them
    targets: frozenset[str]


class Catalogue(Protocol):
    """The rules, as settings validate against them (app/registry is one)."""

    def lookup(self, token: str) -> RuleInfo | None: ...

    def selects_any(self, token: str) -> bool: ...

    def unknown_message(self, token: str) -> str: ...


@record(frozen=True)
class Selectors:
    """One layer of rule selectors: the root file's, a nested file's, or the command line's."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.select is None and not self.ignore and not self.extend_select


@record(frozen=True)
class Settings:
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_level: Level = Level.WARNING
    sidekiq_version: str | None = None
    environments: tuple[str, ...] | None = None
    env: tuple[tuple[str, str], ...] = ()
    worker_base_classes: tuple[str, ...] = ()
    worker_paths: tuple[str, ...] = ()
    http_wrappers: tuple[str, ...] = ()
    circuit_breakers: tuple[str, ...] = ()
    extra_queues: tuple[str, ...] = ()
    # Python (PYTHON.md): project decorators and base classes that make a task, when they come
    # from a package (the project's own wrappers are resolved through its code), and the
    # Celery version when no lock file pins it.
    task_decorators: tuple[str, ...] = ()
    task_base_classes: tuple[str, ...] = ()
    celery_version: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    rules: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    # Selector layers applied after this file's own select/ignore/extend-select, in order: nested
    # files (outer to inner), then the command line's. With `--select`, `only` restricts the
    # result to what the command line selected.
    layers: tuple[Selectors, ...] = ()
    only: tuple[str, ...] | None = None
    # Where the settings came from (None: defaults only), nested files included.
    source: Path | None = field(default=None, compare=False)
    nested_sources: tuple[Path, ...] = field(default=(), compare=False)

    @property
    def selectors(self) -> tuple[Selectors, ...]:
        """Every selector layer, the root file's first."""
        return (Selectors(self.select, self.ignore, self.extend_select), *self.layers)

    def rule_options(self, code: str) -> dict[str, Any]:
        return next((dict(opts) for c, opts in self.rules if c == code), {})

    @property
    def env_map(self) -> dict[str, str]:
        return dict(self.env)

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"`{key}` must be a list of strings")
    return tuple(value)


def _string(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SettingsError(f"`{key}` must be a string")
    return value


_VERSION = re.compile(r"^\d+(\.\d+){0,2}([.-][0-9A-Za-z.]+)?$")


def version(key: str, value: Any) -> str:
    """A version such as ``7.2.4`` or ``7.2`` (a pre-release suffix is allowed)."""
    text = _string(key, value).strip()
    if not _VERSION.match(text):
        raise SettingsError(f"`{key}`: `{text}` is not a version (expected X.Y or X.Y.Z)")
    return text


def _size(key: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str):
        text = value.strip().upper().replace(" ", "")
        for suffix, factor in (("KB", 1024), ("MB", 1024 * 1024), ("B", 1)):
            if text.endswith(suffix) and text[: -len(suffix)].isdigit():
                return int(text[: -len(suffix)]) * factor
    raise SettingsError(f'`{key}` must be a positive number of bytes or a size such as "5MB"')


def _level(key: str, value: Any) -> Level:
    try:
        return Level.parse(_string(key, value))
    except KeyError:
        raise SettingsError(f"`{key}` must be one of error, warning, note") from None


def _string_map(key: str, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(
        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value.values()
    ):
        raise SettingsError(f"`{key}` must be a table of strings (or numbers)")
    return tuple((str(k), str(v)) for k, v in value.items())


def _check_tokens(key: str, tokens: tuple[str, ...], catalogue: Catalogue) -> None:
    """Rule selectors (codes, names, prefixes, ALL): an unknown one names the closest rule."""
    for token in tokens:
        if not catalogue.selects_any(token):
            raise SettingsError(f"`{key}`: {catalogue.unknown_message(token)}")


def _per_file(key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise SettingsError(f"`{key}` must be a table of glob = [rules]")
    return tuple((glob, _strings(f'{key}."{glob}"', codes)) for glob, codes in value.items())


_PARSERS: dict[str, Any] = {
    "select": _strings,
    "ignore": _strings,
    "extend-select": _strings,
    "exclude": _strings,
    "extend-exclude": _strings,
    "per-file-ignores": _per_file,
    "fail-level": _level,
    "sidekiq-version": version,
    "environments": _strings,
    "env": _string_map,
    "worker-base-classes": _strings,
    "worker-paths": _strings,
    "http-wrappers": _strings,
    "circuit-breakers": _strings,
    "extra-queues": _strings,
    "task-decorators": _strings,
    "task-base-classes": _strings,
    "celery-version": version,
    "max-file-size": _size,
}
VALID_KEYS = (*_PARSERS, "rules")
# What a nested .workerlint.toml may hold (RULES.md, Terms, "Project root"); every other key is
# project-wide and belongs in the root's settings.
NESTED_KEYS = frozenset(
    {"select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude", "rules"}
)


def nearest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def _unknown(kind: str, word: str, choices: list[str] | tuple[str, ...], where: str) -> str:
    hint = nearest(word, choices)
    tail = f"; did you mean `{hint}`?" if hint else ""
    return f"{where}: unknown {kind} `{word}`{tail}"


def _rules_table(
    value: Any, where: str, catalogue: Catalogue, *, nested: bool = False
) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    if not isinstance(value, dict):
        raise SettingsError(f"{where}: `rules` must be a table of per-rule tables")
    result = []
    for token, options in value.items():
        rule = catalogue.lookup(token)
        if rule is None:
            raise SettingsError(f"{where}: {catalogue.unknown_message(token)} in `rules`")
        if not isinstance(options, dict):
            raise SettingsError(f"{where}: `rules.{token}` must be a table")
        if nested and options and "project" in rule.targets:
            raise SettingsError(
                f"{where}: the options of {rule.code} ({rule.name}) are project-wide: set them "
                "in the project root's settings"
            )
        checked = []
        for name, option in options.items():
            if name in rule.removed_options:
                raise SettingsError(
                    f"{where}: the option `{name}` of {rule.code} ({rule.name}) was removed: "
                    f"{rule.removed_options[name]}; delete it from `rules.{token}`"
                )
            if name not in rule.option_defaults:
                allowed = tuple(rule.option_defaults)
                if not allowed:
                    raise SettingsError(f"{where}: {rule.code} has no options (got `{name}`)")
                raise SettingsError(_unknown(f"option of {rule.code}", name, allowed, where))
            default = rule.option_defaults[name]
            if type(option) is not type(default) and not (
                isinstance(default, float) and isinstance(option, int)
            ):
                kind = type(default).__name__
                raise SettingsError(f"{where}: `rules.{token}.{name}` must be of type {kind}")
            checked.append((name, option))
        result.append((rule.code, tuple(checked)))
    return tuple(result)


def from_table(
    table: Mapping[str, Any],
    where: str,
    catalogue: Catalogue,
    source: Path | None = None,
    *,
    nested: bool = False,
) -> Settings:
    """Settings from a parsed table, rule names checked against ``catalogue``; ``nested`` for a
    .workerlint.toml below the project root."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in VALID_KEYS:
            raise SettingsError(_unknown("setting", key, VALID_KEYS, where))
        if nested and key not in NESTED_KEYS:
            raise SettingsError(
                f"{where}: `{key}` is a project-wide setting: set it in the project root's "
                "settings; a nested .workerlint.toml holds only per-file settings "
                f"({', '.join(sorted(NESTED_KEYS))})"
            )
        if key == "rules":
            values["rules"] = _rules_table(value, where, catalogue, nested=nested)
            continue
        try:
            parsed = _PARSERS[key](key, value)
            if key in ("select", "ignore", "extend-select"):
                _check_tokens(key, parsed, catalogue)
            elif key == "per-file-ignores":
                for glob, tokens in parsed:
                    _check_tokens(f'{key}."{glob}"', tokens, catalogue)
        except SettingsError as error:
            raise SettingsError(f"{where}: {error}") from None
        values[key.replace("-", "_")] = parsed
    return Settings(source=source, **values)


def find_config(start: Path, fs: FileSystem = DISK) -> Path | None:
    """The nearest ``.workerlint.toml``, or ``pyproject.toml`` with ``[tool.workerlint]``."""
    here = start if fs.is_dir(start) else start.parent
    for folder in (here, *here.parents):
        candidate = folder / ".workerlint.toml"
        if fs.is_file(candidate):
            return candidate
        pyproject = folder / "pyproject.toml"
        if fs.is_file(pyproject) and "workerlint" in _read_toml(pyproject, fs).get("tool", {}):
            return pyproject
    return None


def _read_toml(path: Path, fs: FileSystem) -> dict[str, Any]:
    import tomllib  # about 2.5 ms: only a project with a TOML file to read

    try:
        return tomllib.loads(fs.read_bytes(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{path}: cannot read settings: {error}") from None


def load(
    path: Path, catalogue: Catalogue, *, nested: bool = False, fs: FileSystem = DISK
) -> Settings:
    if not fs.is_file(path):
        raise SettingsError(f"{path}: no such settings file")
    data = _read_toml(path, fs)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("workerlint", {})
        where = f"{path} [tool.workerlint]"
    else:
        table = data
        where = str(path)
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: must be a table")
    return from_table(table, where, catalogue, source=path, nested=nested)


def discover(start: Path, catalogue: Catalogue, fs: FileSystem = DISK) -> Settings:
    found = find_config(fs.resolve(start), fs)
    return load(found, catalogue, fs=fs) if found else Settings()
