"""A project's settings per folder: the root's, with nested ``.workerlint.toml`` files layered on.

A nested file holds only per-file settings (settings.NESTED_KEYS) and applies to its subtree, over
the settings of the folders above it, like ESLint's cascading configuration:

- ``select``/``extend-select``/``ignore`` refine the parent's selection as if given after it:
  the most specific selector wins, and between equally specific ones the nested file's;
- ``per-file-ignores`` and ``exclude``/``extend-exclude`` globs are relative to the nested file's
  folder and add to the parent's;
- ``[rules.<code>]`` options (of rules that are not project rules) override the parent's one
  option at a time.

The command line's ``--select``/``--ignore``/``--extend-select`` come after every file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from workerlint.core import settings as settings_mod
from workerlint.core.discovery import folder_of
from workerlint.core.fs import DISK, FileSystem
from workerlint.core.settings import Catalogue, Selectors, Settings

NESTED_FILE = ".workerlint.toml"


class ProjectSettings:
    """The root settings of one project and the nested files below its root, read lazily."""

    def __init__(
        self,
        root: Path,
        base: Settings,
        catalogue: Catalogue,
        *,
        cascade: bool = True,
        fs: FileSystem = DISK,
    ) -> None:
        self.root = root
        self.fs = fs  # where the nested files are read from
        self.base = base
        self.catalogue = catalogue
        self.cascade = cascade  # False with --config: one settings file for every file
        self._nested: dict[str, Settings | None] = {}
        self._effective: dict[tuple[str, ...], Settings] = {}

    def nested(self, folder: str) -> Settings | None:
        """The nested settings file of a folder (relative to the root), if it has one."""
        if not folder or not self.cascade:
            return None
        if folder not in self._nested:
            path = self.root / folder / NESTED_FILE
            self._nested[folder] = (
                settings_mod.load(path, self.catalogue, nested=True, fs=self.fs)
                if self.fs.is_file(path)
                else None
            )
        return self._nested[folder]

    def chain(self, folder: str) -> tuple[str, ...]:
        """The folders, outermost first, whose nested file applies to ``folder``."""
        parts = folder.split("/") if folder else []
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return tuple(p for p in prefixes if self.nested(p) is not None)

    def for_file(self, relpath: str) -> Settings:
        return self.for_chain(self.chain(folder_of(relpath)))

    def for_chain(self, chain: tuple[str, ...]) -> Settings:
        """The effective settings under the nested files of ``chain`` (from ``chain()``)."""
        if chain not in self._effective:
            self._effective[chain] = self._layer(chain)
        return self._effective[chain]

    def excludes(self, folder: str) -> list[tuple[str, tuple[str, ...]]]:
        """(base folder, globs) of the nested files whose excludes apply inside ``folder``."""
        found = []
        for base in self.chain(folder):
            nested = self.nested(base)
            assert nested is not None
            patterns = (*nested.exclude, *nested.extend_exclude)
            if patterns:
                found.append((base, patterns))
        return found

    def _layer(self, chain: tuple[str, ...]) -> Settings:
        settings = self.base
        nested_layers: list[Selectors] = []
        per_file = list(settings.per_file_ignores)
        options: dict[str, dict[str, Any]] = {code: dict(opts) for code, opts in settings.rules}
        sources = []
        for folder in chain:
            nested = self.nested(folder)
            assert nested is not None
            sources.append(self.root / folder / NESTED_FILE)
            layer = Selectors(nested.select, nested.ignore, nested.extend_select)
            if not layer.empty:
                nested_layers.append(layer)
            per_file.extend((f"{folder}/{glob}", codes) for glob, codes in nested.per_file_ignores)
            for code, opts in nested.rules:
                options.setdefault(code, {}).update(opts)
        if not chain:
            return settings
        return replace(
            settings,
            layers=(*nested_layers, *settings.layers),
            per_file_ignores=tuple(per_file),
            rules=tuple((code, tuple(opts.items())) for code, opts in options.items()),
            nested_sources=tuple(sources),
        )
