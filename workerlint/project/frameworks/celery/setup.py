"""Building the CelerySetup (model.py) of a project from its files; ``CeleryProvider`` builds it
lazily, once, where a rule first asks (``ProjectContext.celery``, ``PythonFileContext.celery``),
through ``CeleryProvider`` (provider.py).

Sources (PYTHON.md §3): each ``Celery(...)`` app the PythonIndex knows (its ``broker=``,
``backend=``, ``task_cls=`` arguments), its ``config_from_object(...)`` module (Django settings
via ``DJANGO_SETTINGS_MODULE`` with ``namespace="CELERY"``, or ``celeryconfig``), then
``app.conf.update(...)`` and ``app.conf.x = ...`` in the app module, in that order of strength
(later wins). Worker commands are read from the project's files (commands.py), versions from
lock files (version.py).
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from workerlint.core.fs import DISK, FileSystem
from workerlint.core.records import record
from workerlint.formats.values import Value
from workerlint.lang.python.index import APPS, CELERY
from workerlint.project.frameworks.celery import keys
from workerlint.project.frameworks.celery.commands import (
    WorkerCommand,
    commands_of,
    is_compose,
    is_dockerfile,
    is_s6_run,
)
from workerlint.project.frameworks.celery.model import CeleryApp, CelerySetup, Setting
from workerlint.project.frameworks.celery.modules import CallSite, ModuleReader, ModuleValues
from workerlint.project.frameworks.celery.version import read_versions

if TYPE_CHECKING:
    from workerlint.lang.python.index import PythonIndex

MAX_READ = 1024 * 1024
MAX_DEPTH = 6  # how deep folders are searched for worker commands
_SKIP_DIRS = frozenset(
    {"node_modules", "vendor", "venv", "site-packages", "__pycache__", "build", "dist", "tests",
     "test", "spec", "tmp", "log", "static", "media", "locale", "migrations", "fixtures"}
)  # fmt: skip
_CELERY_APPS = frozenset(name for name, (fw, _) in APPS.items() if fw == CELERY)
_DJANGO = ("django.conf:settings", "django.conf.settings")
# The modules that may name DJANGO_SETTINGS_MODULE.
_SETTINGS_NAMERS = ("manage.py", "celery.py", "celeryconf.py", "wsgi.py")


@record
class _Found:
    apps: list[CeleryApp] = field(default_factory=list)
    keys: list[Setting] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    socket: Value | None = None


class _Builder:
    def __init__(self, root: Path, index: PythonIndex, fs: FileSystem) -> None:
        self.root = root
        self.index = index
        self.fs = fs
        self.reader = ModuleReader(index, self.read)
        self.found = _Found()

    def read(self, relpath: str) -> bytes | None:
        path = self.root / relpath
        try:
            if not self.fs.is_file(path) or self.fs.size(path) > MAX_READ:
                return None
            return self.fs.read_bytes(path)
        except OSError:
            return None

    def build(self, celery_version: str | None) -> CelerySetup:
        django = self.django_settings()
        for relpath, variable in self.index.assigned_calls(_CELERY_APPS):
            self.app(relpath, variable, django)
        email = backend = databases = None
        if django is not None:
            settings = self.reader.module(django)
            if settings is not None:
                email = settings.bound.get("EMAIL_TIMEOUT")
                backend = settings.bound.get("EMAIL_BACKEND")
                databases = settings.bound.get("DATABASES")
                self.socket_timeout(settings)
        commands = self.commands()
        return CelerySetup(
            apps=tuple(self.found.apps),
            keys=tuple(self.found.keys),
            commands=tuple(commands),
            versions=read_versions(self.read, self.requirement_files(), celery_version),
            email_timeout=email,
            email_backend=backend,
            socket_timeout=self.found.socket,
            django_settings=django,
            django_databases=databases,
            sources=frozenset(self.found.sources | ({django} if django else set())),
            notes=tuple(self.found.notes),
        )

    # -- Django --------------------------------------------------------------------------------

    def django_settings(self) -> str | None:
        """The relpath of the module ``DJANGO_SETTINGS_MODULE`` names in a
        ``os.environ.setdefault(...)`` of the project (manage.py, the Celery app module)."""
        for relpath in self.index.files_ending(_SETTINGS_NAMERS):
            values = self.reader.module(relpath)
            if values is None:
                continue
            for call in values.calls:
                if call.qualified != "os.environ.setdefault" or len(call.args) < 2:
                    continue
                module = call.args[1].value
                if call.args[0].value == "DJANGO_SETTINGS_MODULE" and isinstance(module, str):
                    found = self.index.modules.get(module)
                    if found is not None:
                        return found
        return None

    # -- apps ----------------------------------------------------------------------------------

    def app(self, relpath: str, variable: str, django: str | None) -> None:
        values = self.reader.module(relpath)
        if values is None:
            return
        self.found.sources.add(relpath)
        created = next((c for c in values.calls if c.assigned_to == variable), None)
        if created is None:
            return
        main = created.args[0].value if created.args and created.args[0].known else None
        config_object: str | None = None
        namespace: str | None = None
        config_relpath: str | None = None
        for call in values.calls:
            if call.written == f"{variable}.config_from_object" and call.args:
                config_object, config_relpath = self.config_object(call, values, django)
                ns = call.keyword("namespace")
                namespace = ns.value if ns is not None and isinstance(ns.value, str) else None
        app = CeleryApp(
            relpath,
            variable,
            main if isinstance(main, str) else None,
            created.source,
            config_object,
            config_relpath,
            namespace,
            created.keyword("task_cls"),
        )
        self.found.apps.append(app)
        for name, value, source in created.keywords:
            setting = {"broker": "broker_url", "backend": "result_backend"}.get(name)
            if setting is not None:
                self.add(name, setting, value, source, "app-argument")
        if config_relpath is not None:
            self.settings_module(config_relpath, namespace)
        elif config_object is not None:
            self.found.notes.append(
                f"{relpath}: `{variable}.config_from_object({config_object!r})` names no module "
                "of the project: its settings are unknown"
            )
        self.conf(values, variable)
        self.socket_timeout(values)

    def config_object(
        self, call: CallSite, values: ModuleValues, django: str | None
    ) -> tuple[str | None, str | None]:
        first = call.args[0]
        written = first.value if isinstance(first.value, str) else None
        if written is None:
            # ``config_from_object(celeryconfig)``: an imported module
            name = first.note.removeprefix("`").split("`", 1)[0] if first.note else None
            written = values.imports.get(name or "")
            if written is None:
                return None, None
        if written in _DJANGO:
            return written, django
        module = written.split(":", 1)[0]
        return written, self.index.modules.get(module)

    def settings_module(self, relpath: str, namespace: str | None) -> None:
        values = self.reader.module(relpath)
        if values is None:
            return
        self.found.sources.add(relpath)
        for entry in values.entries:
            if namespace is not None:
                name = keys.namespaced(entry.key, namespace)
                if name is None and not keys.old_outside_namespace(entry.key):
                    continue
                name = name or entry.key
            else:
                if entry.key.startswith("_") or not _setting_like(entry.key):
                    continue
                name = entry.key
            self.add(
                entry.key,
                name,
                entry.value,
                entry.key_source,
                "settings",
                entry.conditional,
                namespace,
            )

    def add(
        self,
        key: str,
        name: str,
        value: Value,
        source: object,
        origin: str,
        conditional: bool = False,
        namespace: str | None = None,
    ) -> None:
        """Record a written key; ``name`` is mapped to the new-style setting it sets."""
        new = name if keys.is_new(name) else None
        if new is None and namespace is None:
            new = keys.new_name(key) or keys.new_name(key.upper())
        self.found.keys.append(
            Setting(key, new, value, source, origin, conditional, namespace)  # type: ignore[arg-type]
        )

    def conf(self, values: ModuleValues, variable: str) -> None:
        prefix = f"{variable}.conf"
        for call in values.calls:
            if call.written != f"{prefix}.update" or call.in_handler:
                continue
            for name, value, source in call.keywords:
                self.add(name, name, value, source, "conf-update")
            if call.args and isinstance(call.args[0].value, dict):
                for key, value in call.args[0].value.items():
                    if isinstance(key, str) and isinstance(value, Value) and value.source:
                        self.add(key, key, value, value.source, "conf-update")
        for attribute in values.attributes:
            if attribute.target.startswith(prefix + "."):
                name = attribute.target[len(prefix) + 1 :]
                self.add(name, name, attribute.value, attribute.key_source, "conf-attribute")

    def socket_timeout(self, values: ModuleValues) -> None:
        for call in values.calls:
            if call.qualified != "socket.setdefaulttimeout" or not call.args:
                continue
            if call.in_handler not in (None, "celery.signals.worker_process_init"):
                continue
            self.found.socket = Value(
                call.args[0].value, call.args[0].status, call.source, call.args[0].variables
            )

    # -- files ---------------------------------------------------------------------------------

    def commands(self) -> list[WorkerCommand]:
        found: list[WorkerCommand] = []
        for relpath in self.walk():
            data = self.read(relpath)
            if data is None or not any(w in data for w in (b"celery", b"rq", b"dramatiq")):
                continue
            found.extend(commands_of(relpath, data))
        return found

    def walk(self) -> list[str]:
        found: list[str] = []
        stack = [(self.root, "", 0)]  # a folder, its path relative to the root, its depth
        while stack:
            folder, prefix, depth = stack.pop()
            try:
                entries = self.fs.scandir(folder)
            except OSError:
                continue
            for entry in entries:
                if entry.is_symlink:
                    continue
                relpath = prefix + entry.name
                if entry.is_dir:
                    if depth < MAX_DEPTH and not _skipped(entry.name):
                        stack.append((entry.path, relpath + "/", depth + 1))
                elif entry.is_file and _command_file(relpath, entry.name):
                    found.append(relpath)
        return sorted(found)

    def requirement_files(self) -> list[str]:
        found = [p.name for p in self.fs.glob(self.root, "requirements*.txt")]
        folder = self.root / "requirements"
        if self.fs.is_dir(folder):
            found.extend(f"requirements/{p.name}" for p in self.fs.glob(folder, "*.txt"))
        return sorted(found)


def _skipped(name: str) -> bool:
    return name in _SKIP_DIRS or (name.startswith(".") and name not in (".",))


def _command_file(relpath: str, name: str) -> bool:
    """Whether a file (``name``: its name) may hold worker commands. Every ``.conf`` file is
    read (for a supervisord ``[program:]`` section), ``is_supervisor``'s among them."""
    return (
        name == "Procfile"
        or name.startswith("Procfile.")
        or is_compose(name)
        or is_dockerfile(name)
        or name.endswith(".service")
        or relpath.endswith(".conf")
        or (name == "run" and is_s6_run(relpath))
    )


def _setting_like(key: str) -> bool:
    """A name of a ``celeryconfig`` module that is meant as a setting: lower case (new style),
    or an old name in upper case."""
    return key.islower() or keys.new_name(key) is not None or key.startswith("CELERY")


def build_celery_setup(
    root: Path, index: PythonIndex, fs: FileSystem = DISK, celery_version: str | None = None
) -> CelerySetup:
    return _Builder(root, index, fs).build(celery_version)
