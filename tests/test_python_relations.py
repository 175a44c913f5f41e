"""Django querysets and SQLAlchemy queries as Relation facts (lang/python/libraries/django_orm.py,
sqlalchemy.py), which models the index knows (django_models.py), and the size evidence of what a
Python loop iterates (lang/python/size.py). The rules' behaviour is in their examples (WL301,
WL302)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from workerlint.facts import Size
from workerlint.lang.python import size
from workerlint.lang.python.index import PythonIndex
from workerlint.lang.python.libraries import django_models
from workerlint.lang.python.relations import relation_chain
from workerlint.lang.python.semantic import SemanticModel
from workerlint.lang.python.unit import PythonUnit

MODELS = (
    "from django.db import models\n"
    "class TimeStamped(models.Model):\n"
    "    created = models.DateTimeField(auto_now_add=True)\n"
    "    class Meta:\n"
    "        abstract = True\n"
    "class Customer(TimeStamped):\n"
    "    email = models.EmailField(unique=True)\n"
    "class OrderQuerySet(models.QuerySet):\n"
    "    def paid(self):\n"
    "        return self.filter(paid=True)\n"
    "class Order(TimeStamped):\n"
    "    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)\n"
    "    token = models.CharField(max_length=36, unique=True)\n"
    "    status = models.CharField(max_length=20)\n"
    "    objects = models.Manager()\n"
    "    paid_orders = OrderQuerySet.as_manager()\n"
    "from django_softdelete.models import SoftDeleteModel\n"
    "class Note(SoftDeleteModel):\n"
    "    order = models.ForeignKey(Order, on_delete=models.CASCADE)\n"
    "class Plain(SoftDeleteModel):\n"
    "    pass\n"
    "class Report:\n"
    "    objects = None\n"
)


@dataclass
class Context:
    """What the relation recognizers ask of a file (a PythonContext's part they read)."""

    semantic: SemanticModel
    index: PythonIndex
    relpath: str = "shop/tasks.py"
    memo: dict[tuple[str, int, int], Any] = field(default_factory=dict)


def _context(body: str) -> tuple[Context, bytes]:
    source = (
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from sqlalchemy import select\n"
        "from celery import shared_task\n"
        "from django.conf import settings\n"
        "from django.db.models import Exists, OuterRef, Q\n"
        "from shop.models import Customer, Order, Report\n"
        "NAMES = ['a', 'b']\n"
        "@shared_task\n"
        f"def task(ids, customer_id, session):\n{body}"
    )
    files = {"shop/__init__.py": "", "shop/models.py": MODELS, "shop/tasks.py": source}
    units = {rel: PythonUnit(rel, text.encode()) for rel, text in files.items()}
    index = PythonIndex({rel: u.facts for rel, u in units.items()})
    unit = units["shop/tasks.py"]
    return Context(unit.semantic("shop.tasks"), index), unit.data


def _last_statement(ctx: Context) -> Any:
    definition = ctx.semantic.root.named_children[-1].child_by_field_name("definition")
    return definition.child_by_field_name("body").named_children[-1]


def _last_expression(ctx: Context) -> Any:
    """The value of the body's last statement (``x = <value>`` or an expression statement)."""
    last = _last_statement(ctx).named_children[0]
    return last.child_by_field_name("right") if last.type == "assignment" else last


def chain(body: str) -> tuple[bool, bool, str, str] | None:
    ctx, _ = _context(body)
    found = relation_chain(_last_expression(ctx), ctx)
    if found is None:
        return None
    state = "bounded" if found.bounded else "scoped" if found.scoped else "unbounded"
    return (found.unbounded, found.ordered, state, found.written)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("    Order.objects.all()\n", (True, False, "unbounded", "Order.objects.all()")),
        (
            "    Order.objects.filter(status='new').order_by('created')\n",
            (True, True, "unbounded", "Order.objects.filter(...).order_by(...)"),
        ),
        ("    Order.paid_orders.all()\n", (True, False, "unbounded", "Order.paid_orders.all()")),
        ("    Order.objects.all()[:50]\n", (False, False, "bounded", "Order.objects.all()[:50]")),
        (
            "    Order.objects.all().iterator()\n",
            (False, False, "bounded", "Order.objects.all().iterator()"),
        ),
        (
            "    Order.objects.filter(pk__in=ids)\n",
            (False, False, "bounded", "Order.objects.filter(...)"),
        ),
        (
            "    Order.objects.filter(token__in=ids)\n",
            (False, False, "bounded", "Order.objects.filter(...)"),
        ),
        (
            "    Order.objects.filter(created__gte=timezone.now() - timedelta(days=1))\n",
            (False, False, "bounded", "Order.objects.filter(...)"),
        ),
        (
            "    since = timezone.now() - timedelta(hours=2)\n    Order.objects.filter(created__gt=since)\n",
            (False, False, "bounded", "Order.objects.filter(...)"),
        ),
        (
            "    Order.objects.filter(created__lt=timezone.now() - timedelta(days=1))\n",
            (True, False, "unbounded", "Order.objects.filter(...)"),
        ),
        (
            "    Order.objects.filter(customer_id=customer_id)\n",
            (False, False, "scoped", "Order.objects.filter(...)"),
        ),
        (
            "    Order.objects.filter(customer=customer_id)\n",
            (False, False, "scoped", "Order.objects.filter(...)"),
        ),
        (
            "    Order.objects.filter(customer__in=ids)\n",
            (False, False, "scoped", "Order.objects.filter(...)"),
        ),
        (
            "    Order.objects.filter(customer__in=Customer.objects.filter(email__contains='@'))\n",
            (True, False, "unbounded", "Order.objects.filter(...)"),
        ),
        (
            "    Order.objects.filter(customer__in=session.customers())\n",
            (True, False, "unbounded", "Order.objects.filter(...)"),
        ),
        (
            "    Order.objects.filter(status=customer_id)\n",
            (True, False, "unbounded", "Order.objects.filter(...)"),
        ),
        (
            "    Customer.objects.filter(email=customer_id)\n",
            (False, False, "scoped", "Customer.objects.filter(...)"),
        ),
        (
            "    keys = list(Customer.objects.values_list('id', flat=True))\n"
            "    Order.objects.filter(pk__in=keys)\n",
            (True, False, "unbounded", "Order.objects.filter(...)"),
        ),
        (
            "    qs = Order.objects.filter(status='x')\n    qs.exclude(token='y')\n",
            (True, False, "unbounded", "Order.objects.filter(...).exclude(...)"),
        ),
        ("    Order.objects.paid_and_late()\n", None),
        (
            "    Order.objects.filter(Q(pk__in=ids) & ~Q(status='x'))\n",
            (False, False, "bounded", "Order.objects.filter(...)"),
        ),
        (
            "    paid = Order.objects.filter(pk__in=ids)\n"
            "    Customer.objects.filter(Exists(paid.filter(customer_id=OuterRef('pk'))))\n",
            (False, False, "scoped", "Customer.objects.filter(...)"),
        ),
        (
            "    Customer.objects.filter(Exists(Order.objects.filter(customer=OuterRef('pk'))))\n",
            (True, False, "unbounded", "Customer.objects.filter(...)"),
        ),
        (
            "    keys = Order.objects.filter(customer__in=ids).values_list('id', flat=True)\n"
            "    Order.objects.filter(pk__in=keys)\n",
            (False, False, "bounded", "Order.objects.filter(...)"),
        ),
        (
            "    mine = (o.customer_id for o in Order.objects.filter(customer_id=customer_id))\n"
            "    Order.objects.filter(customer__in=mine)\n",
            (False, False, "scoped", "Order.objects.filter(...)"),
        ),
        (
            "    Order.objects.filter(Q(pk__in=ids) | Q(status='x'))\n",
            (True, False, "unbounded", "Order.objects.filter(...)"),
        ),
        ("    Order.objects.filter(**ids)\n", None),
        (
            "    Order.objects.filter(**ids)[:10]\n",
            (False, False, "bounded", "Order.objects.filter(...)[:10]"),
        ),
        ("    Report.objects.all()\n", None),
        ("    Order.objects\n", None),
        (
            "    session.query(Order).filter(Order.status == 'new')\n",
            (True, False, "unbounded", "session.query(Order).filter(...)"),
        ),
        (
            "    stmt = select(Order).where(Order.customer_id == customer_id)\n"
            "    result = await session.execute(stmt)\n"
            "    result.scalars()\n",
            (False, False, "scoped", "session.execute(select(Order).where(...)).scalars()"),
        ),
        (
            "    rows = await session.execute(select(Order))\n    rows.scalars()\n",
            (True, False, "unbounded", "session.execute(select(Order)).scalars()"),
        ),
        (
            "    session.query(Order).limit(10)\n",
            (False, False, "bounded", "session.query(Order).limit(...)"),
        ),
        (
            "    session.query(Order).yield_per(500)\n",
            (False, False, "bounded", "session.query(Order).yield_per(...)"),
        ),
        (
            "    session.execute(select(Order)).scalars()\n",
            (True, False, "unbounded", "session.execute(select(Order)).scalars()"),
        ),
        (
            "    session.execute(select(Order).execution_options(stream_results=True)).scalars()\n",
            (
                False,
                False,
                "bounded",
                "session.execute(select(Order).execution_options(...))...",
            ),
        ),
    ],
)
def test_chains(body, expected):
    assert chain(body) == expected


def test_models_fields_through_abstract_bases():
    ctx, _ = _context("    pass\n")
    order = django_models.model("shop.models.Order", ctx.index)
    assert order is not None
    assert order.foreign_keys == frozenset({"customer"})
    assert order.unique == frozenset({"id", "pk", "token"})
    assert {"objects", "paid_orders"} <= order.managers
    assert django_models.model("shop.models.Report", ctx.index) is None
    note = django_models.model("shop.models.Note", ctx.index)
    assert note is not None and note.foreign_keys == frozenset({"order"})
    assert django_models.model("shop.models.Plain", ctx.index) is None
    assert django_models.model("shop.models.OrderQuerySet", ctx.index) is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("    for x in [1, 2, 3]: pass\n", (Size.SMALL, "a literal list of 3")),
        ("    for x in range(10): pass\n", (Size.SMALL, "a literal range of 10")),
        (
            "    for x in range(0, 1000, 5): pass\n",
            (Size.LARGE, "a literal range of 200 (more than 100)"),
        ),
        ("    for x in NAMES: pass\n", (Size.SMALL, "a literal list of 2")),
        (
            "    for code, name in settings.LANGUAGES: pass\n",
            (Size.SMALL, "the configured languages (`settings.LANGUAGES`)"),
        ),
        (
            "    for o in Order.objects.all()[:50]: pass\n",
            (Size.SMALL, "`Order.objects.all()[:50]`, at most 50 rows"),
        ),
        (
            "    for o in Order.objects.all(): pass\n",
            (Size.LARGE, "`Order.objects.all()`, an unbounded queryset"),
        ),
        (
            "    for o in Order.objects.values_list('id', flat=True): pass\n",
            (Size.LARGE, "`Order.objects.values_list(...)`, an unbounded queryset"),
        ),
        (
            "    for o in Order.objects.all().iterator(): pass\n",
            (Size.LARGE, "`Order.objects.all().iterator()`, streamed in chunks (many rows)"),
        ),
        ("    for i in ids: pass\n", (Size.LARGE, "`ids`, a task argument (a list of any length)")),
        (
            "    for i, x in enumerate(sorted(ids)): pass\n",
            (Size.LARGE, "`ids`, a task argument (a list of any length)"),
        ),
        ("    while True: pass\n", (Size.LARGE, "a `while True` loop")),
        ("    while customer_id < 5: pass\n", (Size.SMALL, "a `while` loop bounded by 5")),
        (
            "    for o in Order.objects.filter(customer_id=customer_id): pass\n",
            (Size.UNKNOWN, "`Order.objects.filter(...)`, scoped to one parent"),
        ),
        (
            "    for o in Order.objects.filter(pk__in=ids): pass\n",
            (
                Size.LARGE,
                "`Order.objects.filter(...)`, one row per element of `ids`, a task argument (a list of any length)",
            ),
        ),
        (
            "    xs = []\n    xs.append(1)\n    for x in xs: pass\n",
            (Size.UNKNOWN, "`xs` (filled after it is assigned)"),
        ),
        (
            "    for x in customer_id.items(): pass\n",
            (Size.LARGE, "`customer_id`, a task argument (a list of any length)"),
        ),
        (
            "    for x in session.rows: pass\n",
            (Size.UNKNOWN, "`session.rows` (its size is not known)"),
        ),
    ],
)
def test_size_evidence(body, expected):
    ctx, _ = _context(body)
    loop = _last_statement(ctx)
    found = size.of_loop(loop, ctx)
    assert (found.size, found.reason) == expected
