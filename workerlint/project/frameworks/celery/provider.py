"""``CeleryProvider``: the project's CelerySetup (model.py), built by setup.py where a rule first
asks for it. Kept apart from setup.py so that a run that never asks (a Ruby project, a run
linting no Python file) does not import the Celery front end."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.fs import DISK, FileSystem

if TYPE_CHECKING:
    from pathlib import Path

    from workerlint.lang.python.index import PythonIndex
    from workerlint.project.frameworks.celery.model import CelerySetup


class CeleryProvider:
    """The project's CelerySetup, built on first ``get()`` (a project without Python files
    gets an empty one without reading anything). Picklable before and after the build."""

    def __init__(
        self,
        root: Path,
        index: PythonIndex,
        fs: FileSystem = DISK,
        celery_version: str | None = None,
    ) -> None:
        self.root = root
        self.index = index
        self.fs = fs
        self.celery_version = celery_version
        self._setup: CelerySetup | None = None

    def get(self) -> CelerySetup:
        if self._setup is None:
            from workerlint.project.frameworks.celery.model import CelerySetup

            if not self.index.files:
                self._setup = CelerySetup()
            else:
                from workerlint.project.frameworks.celery.setup import build_celery_setup

                try:
                    self._setup = build_celery_setup(
                        self.root, self.index, self.fs, self.celery_version
                    )
                except Exception as error:  # a shape the model does not expect
                    self._setup = CelerySetup(
                        notes=(
                            f"could not model the Celery configuration "
                            f"({type(error).__name__}: {error}); its rules are silent",
                        )
                    )
        return self._setup
