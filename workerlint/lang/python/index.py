"""The Python half of the project index: every module's facts, its dotted name, what a qualified
name refers to across modules, and the tasks (PYTHON.md §1) with the code they run.

Task code (PYTHON.md §9): task bodies, every function of a task module (a module that defines a
task, or one under ``worker-paths``), and the functions of project modules that task code calls
directly (resolved through imports, one level). Django migration files
(``*/migrations/[0-9]*.py``) are never task code.
"""

from __future__ import annotations

import re
from dataclasses import field
from functools import cached_property
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Protocol

from workerlint.core.records import record
from workerlint.lang.python.names import OWN, absolute

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from workerlint.lang.python.model import (
        Assignment,
        ClassFacts,
        Decorator,
        FunctionFacts,
        ModuleFacts,
    )
    from workerlint.lang.python.provenance.query import Provenances

MAX_DEPTH = 8  # how far names are followed through re-exports and wrappers

CELERY, RQ, DRAMATIQ, HUEY, ARQ, DJANGO_Q = "celery", "rq", "dramatiq", "huey", "arq", "django-q"

# Decorators that make a function a task, by qualified name.
DECORATORS = {
    "celery.shared_task": CELERY,
    "celery.task": CELERY,
    "celery.current_app.task": CELERY,
    "celery.decorators.task": CELERY,
    "celery.decorators.periodic_task": CELERY,
    "celery.task.task": CELERY,
    "celery.task.periodic_task": CELERY,
    "rq.decorators.job": RQ,
    "rq.job": RQ,
    "django_rq.job": RQ,
    "django_rq.decorators.job": RQ,
    "dramatiq.actor": DRAMATIQ,
    "dramatiq.actor.actor": DRAMATIQ,
    "huey.contrib.djhuey.task": HUEY,
    "huey.contrib.djhuey.periodic_task": HUEY,
    "huey.contrib.djhuey.db_task": HUEY,
    "huey.contrib.djhuey.db_periodic_task": HUEY,
}
# Application objects whose methods are task decorators: class -> (framework, methods).
APPS = {
    "celery.Celery": (CELERY, frozenset({"task", "periodic_task"})),
    "celery.app.Celery": (CELERY, frozenset({"task", "periodic_task"})),
    "celery.app.base.Celery": (CELERY, frozenset({"task", "periodic_task"})),
    **{
        f"huey.{name}": (HUEY, frozenset({"task", "periodic_task", "db_task", "db_periodic_task"}))
        for name in (
            "Huey", "RedisHuey", "PriorityRedisHuey", "RedisExpireHuey", "SqliteHuey",
            "MemoryHuey", "FileHuey", "api.Huey",
        )
    },
}  # fmt: skip
# Base classes whose subclasses are tasks: class -> (framework, the method that runs).
BASES = {
    "celery.Task": (CELERY, "run"),
    "celery.app.task.Task": (CELERY, "run"),
    "celery.task.Task": (CELERY, "run"),
    "celery.task.base.Task": (CELERY, "run"),
    "dramatiq.GenericActor": (DRAMATIQ, "perform"),
    "dramatiq.actor.GenericActor": (DRAMATIQ, "perform"),
}
# Calls naming a task by a string that makes that function a task (Django-Q).
NAMED_TASK_CALLS = {"django_q.tasks.async_task": DJANGO_Q, "django_q.tasks.schedule": DJANGO_Q}
_MIGRATION = re.compile(r"(^|/)migrations/[0-9][^/]*\.py$")


@record(frozen=True)
class Task:
    """A task: the function (or class) the framework runs, and how it is registered."""

    relpath: str
    module: str
    qualname: str  # the decorated function, or the class
    body: str  # the function that runs: ``f``, ``Cls.run``
    framework: str
    name: str  # the name it is registered under (Celery's default: ``module.function``)
    options: dict[str, object]  # literal options: decorator keywords, class attributes
    decorator: Decorator | None
    line: int
    start: int  # of the definition (decorators included)
    end: int


@record(frozen=True)
class Target:
    """What a qualified name refers to in the project."""

    relpath: str
    module: str
    kind: str  # module | function | class | assignment
    name: str  # the top-level name in the module ("" for the module itself)
    rest: tuple[str, ...]  # attributes after it (``Cls.method``: ("method",))
    facts: ModuleFacts


def module_name(relpath: str, paths: frozenset[str]) -> str:
    """A file's dotted module name: its path from the folder above its outermost package (a
    folder with ``__init__.py``), so ``src/shop/tasks.py`` is ``shop.tasks`` when ``src`` is not
    a package. Worked out on the string (``PurePosixPath`` cost 60 ms over saleor's modules) for
    a path in the index's own form; any other is left to ``_module_name_of_path``."""
    if not _PLAIN_PATH.match(relpath):
        return _module_name_of_path(relpath, paths)
    folder, _, name = relpath.rpartition("/")
    parts = [_stem(name)] if name != "__init__.py" else []
    while folder and f"{folder}/__init__.py" in paths:
        folder, _, above = folder.rpartition("/")
        parts.insert(0, above)
    if not parts:  # a top-level __init__.py without a package above it
        parent = relpath.rpartition("/")[0]
        parts = [parent.rpartition("/")[2]] if parent else [_stem(name)]
    return ".".join(parts)


# A relative path PurePosixPath keeps as written: no empty, ``.`` or leading-``/`` part.
_PLAIN_PATH = re.compile(r"(?!/)(?:(?!\.?/)[^/]+/)*(?!\.\Z)[^/]+\Z")


def _stem(name: str) -> str:
    """``PurePosixPath(name).stem`` of a plain file name."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _module_name_of_path(relpath: str, paths: frozenset[str]) -> str:
    path = PurePosixPath(relpath)
    parts = [path.stem] if path.name != "__init__.py" else []
    folder = path.parent
    while folder.parts and f"{folder.as_posix()}/__init__.py" in paths:
        parts.insert(0, folder.name)
        folder = folder.parent
    if not parts:  # a top-level __init__.py without a package above it
        parts = [path.parent.name] if path.parent.parts else [path.stem]
    return ".".join(parts)


def is_migration(relpath: str) -> bool:
    return bool(_MIGRATION.search(relpath))


class TasksAhead(Protocol):
    """Tables derived from another index (lang/python/derived.py ``Ahead``)."""

    def tasks(self, index: PythonIndex) -> list[Task] | None:
        """``index``'s tasks, or None when these tables cannot tell them."""

    def same_modules(self, index: PythonIndex) -> PythonIndex | None:
        """The index the tables were derived from, when it has ``index``'s modules."""

    def assigned_calls(
        self, index: PythonIndex, callees: frozenset[str]
    ) -> tuple[tuple[str, str], ...] | None:
        """``index.assigned_calls(callees)``, or None when these tables cannot tell it."""


@record
class PythonIndex:
    files: dict[str, ModuleFacts] = field(default_factory=dict)
    task_decorators: frozenset[str] = frozenset()  # the `task-decorators` setting
    task_base_classes: frozenset[str] = frozenset()  # the `task-base-classes` setting
    worker_paths: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    # The tables of an index this one differs from in a few modules (lang/python/derived.py).
    ahead: TasksAhead | None = field(default=None, compare=False, repr=False)

    def with_file(self, facts: ModuleFacts) -> PythonIndex:
        """This index with one file's facts added or replaced (a file checked on its own)."""
        return PythonIndex(
            {**self.files, facts.path: facts},
            self.task_decorators,
            self.task_base_classes,
            self.worker_paths,
            self.problems,
        )

    # -- modules and names -------------------------------------------------------------------

    @cached_property
    def _same_modules(self) -> PythonIndex | None:
        """The index ``ahead``'s tables come from, when it has these very modules: its module
        table, a function of the set of modules, is this one's (lang/python/derived.py)."""
        return self.ahead.same_modules(self) if self.ahead is not None else None

    @cached_property
    def _paths(self) -> frozenset[str]:
        same = self._same_modules
        return same._paths if same is not None else frozenset(self.files)

    @cached_property
    def modules(self) -> dict[str, str]:
        """Dotted module name -> relpath."""
        same = self._same_modules
        if same is not None:
            return same.modules
        table: dict[str, str] = {}
        for relpath in sorted(self.files):
            table.setdefault(module_name(relpath, self._paths), relpath)
        return table

    @cached_property
    def _module_of(self) -> dict[str, str]:
        same = self._same_modules
        if same is not None:
            return same._module_of
        return {relpath: name for name, relpath in self.modules.items()}

    @cached_property
    def batched_models(self) -> frozenset[str]:
        """Models the project reads in batches somewhere (``.iterator()`` on their manager
        chain), as ``module.Class`` where each is defined."""
        found: set[str] = set()
        for relpath, facts in self.files.items():
            for name in facts.batched:
                target = self.resolve(self.absolute(name, relpath))
                if target is not None and target.kind == "class" and not target.rest:
                    found.add(f"{target.module}.{target.name}")
        return frozenset(found)

    def is_batched(self, qualified: str) -> bool:
        """Whether the project reads the model ``qualified`` names in batches somewhere."""
        target = self.resolve(qualified)
        if target is None or target.kind != "class" or target.rest:
            return False
        return f"{target.module}.{target.name}" in self.batched_models

    def module_of(self, relpath: str) -> str:
        return self._module_of.get(relpath) or module_name(relpath, self._paths)

    def absolute(self, name: str, relpath: str) -> str:
        """A name qualified as written in ``relpath`` (lang/python/model.py) made absolute."""
        module = self.module_of(relpath)
        if name.startswith(OWN):
            return f"{module}.{name[len(OWN) :]}"
        return absolute(name, module, relpath.endswith("__init__.py"))

    @cached_property
    def _resolved(self) -> dict[tuple[str, int], Target | None]:
        """``resolve``'s answers by its arguments (the index does not change once built, and
        the tasks ask the same names for every class: 32,000 times on netbox)."""
        return {}

    @cached_property
    def _bases(self) -> dict[tuple[str, str, int], tuple[str, ...]]:
        """``class_bases``'s answers by its arguments (each class's chain, once)."""
        return {}

    def resolve(self, qualified: str, depth: int = 0) -> Target | None:
        """What an absolute qualified name refers to in the project, following re-exports
        (``from .celery import app``) to where it is defined; None outside the project."""
        key = (qualified, depth)
        known = self._resolved
        if key in known:
            return known[key]
        found = known[key] = self._resolve(qualified, depth)
        return found

    def _resolve(self, qualified: str, depth: int) -> Target | None:
        if depth > MAX_DEPTH:
            return None
        if qualified in self.modules:
            relpath = self.modules[qualified]
            return Target(relpath, qualified, "module", "", (), self.files[relpath])
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            relpath = self.modules.get(module)
            if relpath is None:
                continue
            facts = self.files[relpath]
            head, rest = parts[cut], tuple(parts[cut + 1 :])
            if facts.function(head) is not None:
                return Target(relpath, module, "function", head, rest, facts)
            if facts.cls(head) is not None:
                return Target(relpath, module, "class", head, rest, facts)
            if facts.assignment(head) is not None:
                return Target(relpath, module, "assignment", head, rest, facts)
            imported = dict(facts.imports).get(head)
            if imported is not None:
                target = self.absolute(imported, relpath)
                return self.resolve(".".join((target, *rest)), depth + 1)
            return None
        return None

    def function(self, target: Target) -> FunctionFacts | None:
        """The function a target names: a module function or a class's method."""
        if target.kind == "function" and not target.rest:
            return target.facts.function(target.name)
        if target.kind == "class" and len(target.rest) == 1:
            return target.facts.function(f"{target.name}.{target.rest[0]}")
        return None

    def _assignment(self, target: Target) -> Assignment | None:
        return target.facts.assignment(target.name) if target.kind == "assignment" else None

    def _class(self, target: Target) -> ClassFacts | None:
        return target.facts.cls(target.name) if target.kind == "class" else None

    def class_bases(self, relpath: str, name: str, depth: int = 0) -> list[str]:
        """The absolute names of a project class's bases and theirs, nearest first."""
        key = (relpath, name, depth)
        known = self._bases
        if key not in known:
            known[key] = tuple(self._class_bases(relpath, name, depth))
        return list(known[key])

    def _class_bases(self, relpath: str, name: str, depth: int) -> list[str]:
        facts = self.files.get(relpath)
        cls = facts.cls(name) if facts is not None else None
        if cls is None or depth > MAX_DEPTH:
            return []
        found: list[str] = []
        for base in cls.bases:
            if not base:
                continue
            absolute_base = self.absolute(base, relpath)
            found.append(absolute_base)
            target = self.resolve(absolute_base)
            if target is not None and target.kind == "class" and not target.rest:
                found.extend(self.class_bases(target.relpath, target.name, depth + 1))
        return found

    # -- what makes a task -------------------------------------------------------------------

    def decorator_framework(self, qualified: str | None, depth: int = 0) -> str | None:
        """The framework whose task decorator an absolute name is (directly, as a method of an
        application object, or through a project wrapper), or None."""
        if qualified is None or depth > MAX_DEPTH:
            return None
        if qualified in DECORATORS:
            return DECORATORS[qualified]
        if qualified in self.task_decorators or qualified.rpartition(".")[2] in {
            d for d in self.task_decorators if "." not in d
        }:
            return self._setting_framework(qualified)
        owner, _, method = qualified.rpartition(".")
        if owner:
            app = self.app_framework(owner, depth + 1)
            if app is not None and method in APPS_BY_FRAMEWORK.get(app, frozenset()):
                return app
        target = self.resolve(qualified)
        if target is None:
            return None
        function = self.function(target)
        if function is not None:  # a wrapper: a function calling a task decorator
            self._wrappers.add((target.relpath, function.qualname))
            for call in function.calls:
                if call.startswith(OWN) and call[len(OWN) :] == function.qualname:
                    continue
                found = self.decorator_framework(self.absolute(call, target.relpath), depth + 1)
                if found is not None:
                    return found
            return None
        assignment = self._assignment(target)
        if assignment is not None and not target.rest:
            if assignment.alias is not None:
                return self.decorator_framework(
                    self.absolute(assignment.alias, target.relpath), depth + 1
                )
            call = assignment.call
            if call is not None and call.name is not None:
                callee = self.absolute(call.name, target.relpath)
                if callee == "functools.partial" and call.names:
                    wrapped = self.absolute(call.names[0], target.relpath)
                    return self.decorator_framework(wrapped, depth + 1)
            return None
        cls = self._class(target)
        if cls is not None and not target.rest:  # a subclass of a decorator class
            for base in self.class_bases(target.relpath, target.name):
                if base in DECORATORS:
                    return DECORATORS[base]
        return None

    def _setting_framework(self, qualified: str) -> str:
        """The framework of a decorator named by the ``task-decorators`` setting: the one its
        module name tells, else Celery."""
        for framework in (RQ, DRAMATIQ, HUEY):
            if qualified.startswith(framework) or f".{framework}" in qualified:
                return framework
        return CELERY

    def app_framework(self, qualified: str, depth: int = 0) -> str | None:
        """The framework of an application object (``app = Celery("shop")``), or None."""
        if depth > MAX_DEPTH:
            return None
        if qualified in ("celery.current_app",):
            return CELERY
        target = self.resolve(qualified)
        assignment = self._assignment(target) if target is not None else None
        if target is None or assignment is None or target.rest:
            return None
        if assignment.alias is not None:
            return self.app_framework(self.absolute(assignment.alias, target.relpath), depth + 1)
        if assignment.call is None or assignment.call.name is None:
            return None
        callee = self.absolute(assignment.call.name, target.relpath)
        if callee in APPS:
            return APPS[callee][0]
        built = self.resolve(callee)
        if built is not None and built.kind == "class" and not built.rest:
            for base in self.class_bases(built.relpath, built.name):
                if base in APPS:
                    return APPS[base][0]
        return None

    def base_framework(self, relpath: str, cls: ClassFacts) -> tuple[str, str] | None:
        """(framework, method that runs) for a task class, or None."""
        for base in self.class_bases(relpath, cls.name):
            if base in BASES:
                return BASES[base]
            if base in self.task_base_classes or base.rpartition(".")[2] in self._bare_bases:
                return (self._setting_framework(base), "run")
        return None

    @cached_property
    def _bare_bases(self) -> frozenset[str]:
        """The ``task-base-classes`` given without a module: they match a base by its last name."""
        return frozenset(b for b in self.task_base_classes if "." not in b)

    # -- the Celery setup's questions (project/frameworks/celery/setup.py) --------------------

    def assigned_calls(self, callees: frozenset[str]) -> tuple[tuple[str, str], ...]:
        """(relpath, name) of each module-level ``name = f(...)`` whose ``f`` is one of
        ``callees`` (absolute), by relpath and then in the module's order."""
        if self.ahead is not None:
            known = self.ahead.assigned_calls(self, callees)
            if known is not None:
                return known
        return tuple(
            (relpath, name)
            for relpath in sorted(self.files)
            for callee, name in self.calls_assigned_in(relpath)
            if callee in callees
        )

    def calls_assigned_in(self, relpath: str) -> tuple[tuple[str, str], ...]:
        """(absolute callee, name) of each module-level ``name = f(...)`` of one module, in
        order (``assigned_calls``)."""
        return tuple(
            (self.absolute(a.call.name, relpath), a.name)
            for a in self.files[relpath].assignments
            if a.call is not None and a.call.name is not None
        )

    def files_ending(self, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        """The relpaths of the indexed modules ending with one of ``suffixes``, sorted."""
        return tuple(relpath for relpath in sorted(self.files) if relpath.endswith(suffixes))

    # -- the tasks ---------------------------------------------------------------------------

    @cached_property
    def tasks(self) -> list[Task]:
        """Every module's tasks, in path order (migrations have none). An index made with the
        tables derived from another (``ahead``: lang/python/derived.py) takes the modules the
        two share from there, when that gives these very tasks."""
        if self.ahead is not None:
            found = self.ahead.tasks(self)
            if found is not None:
                return found
        return [task for relpath in sorted(self.files) for task in self.tasks_of(relpath)]

    def tasks_of(self, relpath: str) -> tuple[Task, ...]:
        """The tasks one module defines."""
        if is_migration(relpath):
            return ()
        return tuple(self._tasks_in(relpath, self._named_tasks.get(relpath, {})))

    @cached_property
    def _wrappers(self) -> set[tuple[str, str]]:
        """(relpath, qualname) of the functions whose calls ``decorator_framework`` read (a
        wrapper of a task decorator, or a candidate): what the tasks read of a module beyond
        its names (lang/python/derived.py)."""
        return set()

    @cached_property
    def _enqueued(self) -> tuple[dict[str, dict[str, str]], set[tuple[str, str]]]:
        """Callables given to an RQ-style ``enqueue(f)`` anywhere in the project: the functions
        (relpath -> qualname -> framework), and the classes one of whose own methods is
        enqueued (``Job.enqueue(cls.handle)``: their subclasses are task classes)."""
        functions: dict[str, dict[str, str]] = {}
        classes: set[tuple[str, str]] = set()
        for relpath in self.files:
            for target_path, qualname, class_name in self.enqueued_in(relpath):
                functions.setdefault(target_path, {})[qualname] = RQ
                if class_name is not None:
                    classes.add((target_path, class_name))
        return functions, classes

    def enqueued_in(self, relpath: str) -> tuple[tuple[str, str, str | None], ...]:
        """(relpath, qualname, class) of each project function one module's functions enqueue,
        in order (``_enqueued``)."""
        found = []
        for function in self.files[relpath].functions:
            for written in function.enqueued:
                target = self.resolve(self.absolute(written, relpath))
                reached = self.function(target) if target is not None else None
                if target is None or reached is None:
                    continue
                found.append((target.relpath, reached.qualname, reached.class_name))
        return tuple(found)

    def _enqueued_base(self, relpath: str, cls: ClassFacts) -> bool:
        """Whether a class derives from a class whose own method is enqueued."""
        _, classes = self._enqueued
        if not classes:
            return False
        for base in self.class_bases(relpath, cls.name):
            target = self.resolve(base)
            if (
                target is not None
                and target.kind == "class"
                and not target.rest
                and (target.relpath, target.name) in classes
            ):
                return True
        return False

    def _tasks_in(self, relpath: str, named: dict[str, str]) -> Iterator[Task]:
        facts = self.files[relpath]
        module = self.module_of(relpath)
        arq = self._arq_functions(relpath)
        enqueued = self._enqueued[0].get(relpath, {})
        for function in facts.functions:
            if function.class_name is not None:
                if function.qualname in enqueued:
                    yield _function_task(relpath, module, function, RQ, None)
                continue
            for decorator in function.decorators:
                name = self.absolute(decorator.name, relpath) if decorator.name else None
                framework = self.decorator_framework(name)
                if framework is not None:
                    yield _function_task(relpath, module, function, framework, decorator)
                    break
            else:
                framework = (
                    arq.get(function.qualname)
                    or named.get(function.qualname)
                    or enqueued.get(function.qualname)
                )
                if framework is not None:
                    yield _function_task(relpath, module, function, framework, None)
        for cls in facts.classes:
            found = self.base_framework(relpath, cls)
            if found is None and self._enqueued_base(relpath, cls):
                found = (RQ, "run")
            if found is None:
                continue
            framework, method = found
            if facts.function(f"{cls.name}.{method}") is None:
                continue  # an abstract base: its subclasses are the tasks
            options = dict(cls.attributes)
            name = options.get("name")
            yield Task(
                relpath=relpath,
                module=module,
                qualname=cls.name,
                body=f"{cls.name}.{method}",
                framework=framework,
                name=name if isinstance(name, str) else f"{module}.{cls.name}",
                options=options,
                decorator=None,
                line=cls.line,
                start=cls.start,
                end=cls.end,
            )

    def _arq_functions(self, relpath: str) -> dict[str, str]:
        """Functions an arq ``WorkerSettings`` class in this module lists (``functions``,
        ``cron_jobs``) and that are defined here."""
        facts = self.files[relpath]
        if not any(q == "arq" or q.startswith("arq.") for _, q in facts.imports):
            return {}
        found: dict[str, str] = {}
        for cls in facts.classes:
            for attribute, names in cls.name_lists:
                if attribute not in ("functions", "cron_jobs"):
                    continue
                for name in names:
                    if name.startswith(OWN):
                        found[name[len(OWN) :]] = ARQ
        return found

    @cached_property
    def _named_tasks(self) -> dict[str, dict[str, str]]:
        """Functions named by a string in a call that makes them tasks (Django-Q's
        ``async_task("shop.tasks.send")``): relpath -> function -> framework."""
        found: dict[str, dict[str, str]] = {}
        for relpath in self.files:
            for target_path, function, framework in self.named_in(relpath):
                found.setdefault(target_path, {})[function] = framework
        return found

    def named_in(self, relpath: str) -> tuple[tuple[str, str, str], ...]:
        """(relpath, function, framework) of each project function one module names as a task
        by a string, in order (``_named_tasks``)."""
        found = []
        for named in self.files[relpath].named_targets:
            framework = NAMED_TASK_CALLS.get(self.absolute(named.call, relpath))
            if framework is None:
                continue
            module, _, function = named.target.rpartition(".")
            target_path = self.modules.get(module)
            if target_path is not None:
                found.append((target_path, function, framework))
        return tuple(found)

    @cached_property
    def _tasks_by_body(self) -> dict[tuple[str, str], Task]:
        return {(t.relpath, t.body): t for t in self.tasks}

    def task_of(self, relpath: str, qualname: str) -> Task | None:
        """The task whose body is this function (``f`` or ``Cls.run``), if any."""
        return self._tasks_by_body.get((relpath, qualname))

    def task_named(self, name: str) -> Task | None:
        return next((t for t in self.tasks if t.name == name), None)

    @cached_property
    def provenance(self) -> Provenances:
        """Where task arguments come from, across the project's enqueue sites."""
        from workerlint.lang.python.provenance.query import Provenances

        return Provenances(self)

    @cached_property
    def task_modules(self) -> frozenset[str]:
        """Modules that define a task or lie under ``worker-paths`` (migrations excluded)."""
        found = {t.relpath for t in self.tasks}
        if self.worker_paths:
            found.update(p for p in self.files if _under(p, self.worker_paths))
        return frozenset(p for p in found if not is_migration(p))

    @cached_property
    def reached(self) -> frozenset[tuple[str, str]]:
        """(relpath, function) of other project modules that task code calls directly."""
        found: set[tuple[str, str]] = set()
        for relpath in self.task_modules:
            for function in self.files[relpath].functions:
                for call in function.calls:
                    if call.startswith(OWN):
                        continue
                    target = self.resolve(self.absolute(call, relpath))
                    if target is None or target.relpath in self.task_modules:
                        continue
                    if is_migration(target.relpath):
                        continue
                    reached = self.function(target)
                    if reached is not None:
                        found.add((target.relpath, reached.qualname))
        return frozenset(found)

    @cached_property
    def _reached_files(self) -> frozenset[str]:
        return frozenset(relpath for relpath, _ in self.reached)

    def has_task_code(self, relpath: str) -> bool:
        """Whether any function of a module is task code (else a walk for task-code rules
        can skip it: nothing in it can be reported)."""
        if is_migration(relpath):
            return False
        return relpath in self.task_modules or relpath in self._reached_files

    def is_task_code(self, relpath: str, qualname: str) -> bool:
        """Whether a module function or method (``f``, ``Cls.m``) is task code."""
        if is_migration(relpath):
            return False
        return relpath in self.task_modules or (relpath, qualname) in self.reached

    def task_code_reason(self, relpath: str, qualname: str) -> str | None:
        """Why a function is task code (for ``--verbose``), or None."""
        if is_migration(relpath):
            return None
        task = self.task_of(relpath, qualname)
        if task is not None:
            return f"the body of the {task.framework} task `{task.name}`"
        if relpath in self.task_modules:
            if any(t.relpath == relpath for t in self.tasks):
                return "a function of a module that defines tasks"
            return "a function of a module under `worker-paths`"
        if (relpath, qualname) in self.reached:
            return "a function that task code calls"
        return None

    def frameworks(self) -> set[str]:
        return {t.framework for t in self.tasks}


APPS_BY_FRAMEWORK = {framework: methods for framework, methods in APPS.values()}


def _function_task(
    relpath: str,
    module: str,
    function: FunctionFacts,
    framework: str,
    decorator: Decorator | None,
) -> Task:
    call = decorator.call if decorator is not None else None
    options: dict[str, object] = dict(call.keywords) if call is not None else {}
    name = options.get("name") if framework == CELERY else options.get("actor_name")
    if not isinstance(name, str):
        name = function.qualname if framework == DRAMATIQ else f"{module}.{function.qualname}"
    return Task(
        relpath=relpath,
        module=module,
        qualname=function.qualname,
        body=function.qualname,
        framework=framework,
        name=name,
        options=options,
        decorator=decorator,
        line=function.line,
        start=function.start,
        end=function.end,
    )


def _under(relpath: str, folders: Iterable[str]) -> bool:
    for folder in folders:
        folder = folder.strip("/")
        if folder and (relpath == folder or relpath.startswith(folder + "/")):
            return True
    return False
