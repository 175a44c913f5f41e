"""The Python semantic model (lang/python/semantic.py): bindings, qualified names, values."""

from __future__ import annotations

from workerlint.lang.python.parse import parse
from workerlint.lang.python.semantic import SemanticModel, absolute

SOURCE = b"""\
import requests as r
import os.path
from django.db import transaction
from django.db.transaction import atomic
from .celery import app
from .. import settings
get = r.get
session = r.Session()


@app.task(bind=True)
def sync(self, url, *args, **kwargs):
    s = r.Session()
    s.get(url)
    session.get(url)
    get(url)
    for item in range(3):
        total = item
    with atomic(), open(url) as handle:
        handle.read()
    values = [v for v in args]
    os.path.join(url)
    transaction.on_commit(lambda: get(url))
    helper()


def helper():
    sync = 1
    return sync


class Client:
    def __init__(self):
        self.http = r.Session()

    def go(self):
        self.http.get(1)
        self.helper()

    def helper(self):
        return open
"""


def _model(module: str | None = "shop.tasks") -> SemanticModel:
    return SemanticModel(parse(SOURCE).root_node, module)


def _find(model: SemanticModel, kind: str, written: str, nth: int = 0):
    found = []
    stack = [model.root]
    while stack:
        node = stack.pop()
        if node.type == kind and node.text.decode() == written:
            found.append(node)
        stack.extend(reversed(node.children))
    return found[nth]


def test_qualified_names_follow_imports_aliases_and_own_names():
    model = _model()
    q = model.qualified_name
    assert q(_find(model, "attribute", "r.Session")) == "requests.Session"
    assert q(_find(model, "identifier", "atomic", 1)) == "django.db.transaction.atomic"
    assert q(_find(model, "attribute", "transaction.on_commit")) == (
        "django.db.transaction.on_commit"
    )
    assert q(_find(model, "attribute", "app.task")) == "shop.celery.app.task"
    assert q(_find(model, "attribute", "os.path.join")) == "os.path.join"
    assert q(_find(model, "identifier", "get", 1)) == "requests.get"  # get = r.get
    assert q(_find(model, "identifier", "helper", 1)) == "shop.tasks.helper"
    assert q(_find(model, "identifier", "open")) == "open"  # a builtin
    assert q(_find(model, "identifier", "url", 1)) is None  # a parameter


def test_relative_imports_stay_relative_without_a_module():
    model = _model(None)
    assert model.qualified_name(_find(model, "attribute", "app.task")) == ".celery.app.task"
    assert absolute("..settings", "shop.orders.tasks", False) == "shop.settings"
    assert absolute(".celery.app", "shop", True) == "shop.celery.app"
    assert absolute("requests", "shop.tasks", False) == "requests"


def test_value_of_follows_locals_with_targets_and_self_attributes():
    model = _model()
    value = model.value_of
    assert value(_find(model, "identifier", "s", 1)).text == b"r.Session()"
    assert value(_find(model, "identifier", "session", 1)).text == b"r.Session()"
    assert value(_find(model, "identifier", "handle", 1)).text == b"open(url)"
    http = _find(model, "attribute", "self.http", 1)
    assert value(http).text == b"r.Session()"
    assert value(_find(model, "identifier", "total")).type == "identifier"  # a for target


def test_bindings_respect_python_scoping():
    model = _model()
    # `sync` inside helper() is helper's local, not the task defined above.
    inner = _find(model, "identifier", "sync", 2)
    binding = model.binding_of(inner)
    assert binding is not None and binding.kind == "assignment" and binding.scope.kind == "function"
    assert model.is_local(inner)
    # A comprehension's variable is the comprehension's own.
    v = _find(model, "identifier", "v", 0)
    assert model.binding_of(v).kind == "comprehension"
    # A lambda sees the module's `get`.
    lam_get = _find(model, "identifier", "get", 2)
    assert model.binding_of(lam_get).scope.kind == "module"
    # Parameters, *args and **kwargs bind in the function.
    kwargs = _find(model, "identifier", "kwargs")
    assert model.binding_of(kwargs).kind == "parameter"


def test_functions_and_the_call_graph_within_the_module():
    model = _model()
    names = [(f.qualname, f.class_name) for f in model.functions()]
    assert names == [
        ("sync", None),
        ("helper", None),
        ("Client.__init__", "Client"),
        ("Client.go", "Client"),
        ("Client.helper", "Client"),
    ]
    go = next(f for f in model.functions() if f.qualname == "Client.go")
    assert model.callees(go.node) == ["Client.helper"]
    sync = model.functions()[0]
    assert model.callees(sync.node) == ["helper"]
    assert [f.qualname for f in model.callers("helper")] == ["sync"]
