"""Python job-argument data flow: functions lowered into the taint IR (lang/python/lower.py) and
run with Python's spec (lang/python/job_arguments), and provenance of task arguments across the
project's enqueue sites (lang/python/provenance), cached with each module's facts."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from workerlint.app.linter import Options
from workerlint.app.runner import run
from workerlint.core.diagnostics import SourceText
from workerlint.lang.python.index import PythonIndex
from workerlint.lang.python.job_arguments import analyse_task
from workerlint.lang.python.lower import Lowering
from workerlint.lang.python.model import ModuleFacts, extract
from workerlint.lang.python.parse import parse
from workerlint.lang.python.provenance.facts import ARGUMENT, REQUEST, EnqueueSite, Slot, Source
from workerlint.lang.python.semantic import SemanticModel
from workerlint.project import codec
from workerlint.taint import Assign, Branch, Call, Loop, Seq, Template, Try, Unpack

REPO = Path(__file__).resolve().parent.parent


def _index(sources: dict[str, str]) -> PythonIndex:
    files = {rel: extract(parse(src.encode()).root_node, rel) for rel, src in sources.items()}
    return PythonIndex(files=files)


def _findings(source: str, task_name: str = "job", rel: str = "shop/tasks.py"):
    index = _index({rel: source, "shop/__init__.py": ""})
    tree = parse(source.encode())
    ctx = SimpleNamespace(
        tree=tree,
        semantic=SemanticModel(tree.root_node, "shop.tasks"),
        memo={},
        index=index,
        relpath=rel,
    )
    task = next(t for t in index.tasks if t.qualname == task_name)
    function = next(f for f in ctx.semantic.functions() if f.qualname == task.body).node
    return analyse_task(task, function, ctx)


def _line(source: str, offset: int) -> int:
    return source.encode()[:offset].count(b"\n") + 1


def test_lowering_shapes() -> None:
    source = """\
def f(a, b):
    x, (y, z) = a, (b, 1)
    x += y
    with open(x) as handle:
        pass
    try:
        pass
    except ValueError:
        pass
    match a:
        case "k":
            pass
    names = [n.strip() for n in b if n]
    return f"{x}-{names[0]}"
"""
    root = parse(source.encode()).root_node
    lowering = Lowering(root)
    method = lowering.method("f")
    assert method is not None
    assert [p.name for p in method.params] == ["a", "b"]
    body = method.body
    assert isinstance(body, Seq)
    kinds = [type(n).__name__ for n in body.body]
    assert kinds == ["Assign", "Assign", "Seq", "Try", "Seq", "Assign", "Exit"]
    unpack = body.body[0]
    assert isinstance(unpack, Assign) and isinstance(unpack.target, Unpack)
    assert unpack.value.parallel  # type: ignore[union-attr]
    assert isinstance(body.body[3], Try) and len(body.body[3].handlers) == 1
    match = body.body[4]
    assert isinstance(match, Seq) and isinstance(match.body[1], Branch)
    comprehension = body.body[5].value  # type: ignore[union-attr]
    assert isinstance(comprehension, Seq) and isinstance(comprehension.body[0], Loop)
    assert comprehension.body[0].binds == ("n",)
    returned = body.body[6].values[0]  # type: ignore[union-attr]
    assert isinstance(returned, Template)
    with_value = body.body[2].body[0]  # type: ignore[union-attr]
    assert isinstance(with_value, Assign) and isinstance(with_value.value, Call)


def test_keyword_arguments_reach_the_parameter_they_name() -> None:
    source = """\
import os
from celery import shared_task


def run_it(size, command):
    os.system(command)


@shared_task
def job(cmd):
    run_it(command=cmd, size=1)
"""
    found = _findings(source)
    assert [(f.use, f.sink, f.label, f.origin.path) for f in found] == [
        ("injection", "shell", "os.system", ("job(cmd)", "run_it(command)"))
    ]
    assert _line(source, found[0].start) == 6


def test_iterated_elements_tuple_unpacking_and_self_attributes() -> None:
    source = """\
import importlib
from celery import Task


class Sync(Task):
    def run(self, pairs, label):
        self.label = label
        for name, value in pairs:
            importlib.import_module(name)
        head, _ = label.split(":", 1)
        self.load()
        getattr(self, head)

    def load(self):
        __import__(self.label)
"""
    found = _findings(source, "Sync")
    shown = sorted((_line(source, f.start), f.sink, f.label, f.origin.describe()) for f in found)
    assert shown == [
        (9, "constant", "importlib.import_module", "`run(pairs)`"),
        (12, "method", "getattr", "`run(label)`"),
        (15, "constant", "__import__", "`run(label)`"),
    ]


def test_sanitizers_and_numbers() -> None:
    source = """\
import os
import re
import time
from celery import shared_task

ALLOWED = {"a", "b"}


@shared_task
def job(kind, name, count, mode):
    if kind not in ALLOWED:
        raise ValueError(kind)
    os.system(kind)
    if re.fullmatch(r"[a-z]+", name):
        os.system(name)
    os.system(str(int(count)))
    time.sleep(min(count, 10))
    assert mode in ("x", "y")
    os.system(mode)
    time.sleep(count)
"""
    found = _findings(source)
    assert [(f.use, f.label, _line(source, f.start)) for f in found] == [("size", "time.sleep", 20)]


def test_enqueue_sites_are_module_facts_and_survive_the_codec() -> None:
    source = """\
from shop.tasks import export


def view(request, slug):
    kind = request.GET["kind"]
    export.delay(kind, "csv", slug=slug)
    export.apply_async(args=[request.data.get("x")], kwargs={"n": 3})
"""
    facts = extract(parse(source.encode()).root_node, "shop/views.py")
    assert facts.enqueues == (
        EnqueueSite(
            6,
            "export.delay",
            "shop.tasks.export",
            (Slot("kind", (Source(REQUEST, 'request.GET["kind"]', 5),)), Slot('"csv"')),
            (("slug", Slot("slug", (Source(REQUEST, "slug", 6),))),),
        ),
        EnqueueSite(
            7,
            "export.apply_async",
            "shop.tasks.export",
            (Slot('request.data.get("x")', (Source(REQUEST, 'request.data.get("x")', 7),)),),
            (("n", Slot("3")),),
        ),
    )
    data = codec.encode(facts, ModuleFacts)
    assert codec.decode(data, ModuleFacts) == facts


def test_enqueue_sites_come_in_the_order_of_the_tree() -> None:
    """Calls and beat entries nested in one another: each enclosing one before those it holds
    (the sites are found by one query, whose captures are put in the tree's order)."""
    source = """\
from shop.tasks import export, sweep

SCHEDULE = {"a": {"task": "shop.tasks.sweep", "schedule": 60, "args": (export.delay(1),)}}


def view(x):
    export.apply_async(args=[export.delay(x)], kwargs={"n": sweep.delay(2)})
    f(x)(y).delay(3)
"""
    facts = extract(parse(source.encode()).root_node, "shop/views.py")
    assert [(s.line, s.label) for s in facts.enqueues] == [
        (3, "beat entry shop.tasks.sweep"),
        (3, "export.delay"),
        (7, "export.apply_async"),
        (7, "export.delay"),
        (7, "sweep.delay"),
    ]


def test_provenance_through_a_task_passing_its_argument_on() -> None:
    tasks = """\
from celery import shared_task


@shared_task
def first(kind):
    second.delay(kind)


@shared_task
def second(kind):
    pass


@shared_task
def lonely(x):
    pass
"""
    views = """\
from shop.tasks import first


def start(request):
    first.delay(request.POST["kind"])
"""
    index = _index({"shop/__init__.py": "", "shop/tasks.py": tasks, "shop/views.py": views})
    site = index.files["shop/tasks.py"].enqueues[0]
    assert site.positional[0].sources == (Source(ARGUMENT, "kind", 6, "first", 0),)
    second = next(t for t in index.tasks if t.qualname == "second")
    found = index.provenance.of(second, 0, "kind")
    assert found.kind == REQUEST
    assert found.chain == (
        '`request.POST["kind"]` in shop/views.py:5',
        "`first.delay`",
        "`first(kind)`",
        "`second.delay`",
    )
    lonely = next(t for t in index.tasks if t.qualname == "lonely")
    assert index.provenance.of(lonely, 0, "x").reason == (
        "no enqueue site of `lonely` in the project shows where it comes from"
    )


def test_beat_entries_are_enqueue_sites_and_defaults_are_internal() -> None:
    tasks = """\
from celery import shared_task


@shared_task
def sweep(batch_size=500, region="eu"):
    if more():
        sweep.delay(batch_size, region)
"""
    settings = """\
CELERY_BEAT_SCHEDULE = {
    "sweep": {"task": "shop.tasks.sweep", "schedule": 60, "kwargs": {"region": "us"}},
}
"""
    sources = {"shop/__init__.py": "", "shop/tasks.py": tasks, "shop/settings.py": settings}
    index = _index(sources)
    assert index.files["shop/settings.py"].enqueues == (
        EnqueueSite(2, "beat entry shop.tasks.sweep", "name:shop.tasks.sweep", (),
                    (("region", Slot('"us"')),)),
    )  # fmt: skip
    sweep = next(t for t in index.tasks if t.qualname == "sweep")
    size = index.provenance.of(sweep, 0, "batch_size")
    assert (size.kind, size.reason) == (
        "internal",
        "it keeps its default value (`beat entry shop.tasks.sweep` in shop/settings.py:2)",
    )
    region = index.provenance.of(sweep, 1, "region")
    assert (region.kind, region.chain) == (
        "internal",
        ('`"us"` in shop/settings.py:2', "`beat entry shop.tasks.sweep`"),
    )


# The imports fixture's findings: (file, line, column, code, level, how the message starts).
FIXTURE = [
    ("tasks.py", 13, 16, "WL401", "error", "task argument `importer_path` reaches a module or class "
     "name without validation; it comes from the request: `request.POST[\"importer\"]` in "
     "imports/views.py:10 -> `run_import.delay` -> "
     "`run_import(importer_path)` -> `import_string`"),
    ("tasks.py", 24, 30, "WL106", "error", "the task `imports.tasks.rebuild_thumbnails` has soft "
     "time limit 1800 (imports/tasks.py:24), not below its hard limit 1200"),
    ("tasks.py", 26, 14, "WL401", "note", "task argument `formatter` reaches a module or class "
     "name without validation; the app passes only internal values: "
     "`\"imports.thumbnails.render_webp\"` in imports/views.py:16"),
    ("tasks.py", 28, 29, "WL402", "note", "task argument `batch_size` sizes work without a bound; "
     "the app passes only internal values: `500`"),
    ("tasks.py", 30, 14, "WL402", "note", "task argument `pause` sizes work without a bound; the "
     "app passes only internal values: `0.1`"),
    ("tasks.py", 30, 14, "WL602", "warning", "`time.sleep` blocks this worker for `pause` on each "
     "pass of the `for` loop (line 28)"),
    ("views.py", 21, 13, "WL404", "warning", "`reindex.delay` passes "
     "`list(Product.objects.values_list(\"id\", flat=True))` (one value per row of "
     "`Product.objects.values_list(...)`)"),
    ("views.py", 23, 24, "WL403", "error", "`notify_owner.delay` passes a `Product` record "
     "(`product`, assigned on line 22): task arguments must be JSON-serializable"),
]  # fmt: skip


def test_the_imports_fixture() -> None:
    folder = REPO / "fixtures" / "python_app" / "imports"
    result = run([folder], Options(use_cache=False))
    found = []
    for outcome in result.outcomes:
        source = SourceText(outcome.data or b"")
        for d in outcome.diagnostics:
            start = source.position(d.span.start)
            found.append((d.path.name, start.line, start.column, d.code, d.level.label, d.message))
    found.sort()
    assert [row[:5] for row in found] == [row[:5] for row in FIXTURE]
    for row, expected in zip(found, FIXTURE, strict=True):
        assert row[5].startswith(expected[5]), row[5]
