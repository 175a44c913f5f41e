# case: enqueue-and-request-in-atomic (invalid)
# note: A request with a timeout still holds the transaction; the enqueue gets the on_commit suggestion.
import requests
from celery import shared_task
from django.db import transaction

from shop.models import Order


@shared_task
def send_receipt(order_id):
    pass


@shared_task
def ship(order_id):
    with transaction.atomic():
        Order.objects.filter(pk=order_id).update(state="shipped")
        requests.post("https://carrier.example.com/pickups", json={"id": order_id}, timeout=5)
        #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `requests.post` inside `transaction.atomic()` (line 15): the transaction keeps its row locks and its database connection for the whole HTTP round trip, and a rollback cannot undo the request
        send_receipt.delay(order_id)
        #            ^^^^^^^^^^^^^^^ `send_receipt.delay` inside `transaction.atomic()` (line 15): the task is sent to the broker at once, not at the commit: a worker can run it before its rows are committed, or after a rollback
# file: shop/models.py
from django.db import models


class Order(models.Model):
    state = models.CharField(max_length=20)

# case: atomic-decorator-in-a-view (invalid)
# note: Enqueues count anywhere; a countdown makes it a note.
# file: shop/views.py
from django.db import transaction

from shop.tasks import reindex


@transaction.atomic
def update_product(request, product_id):
    reindex.apply_async((product_id,), countdown=30)
    #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `reindex.apply_async` inside the `@transaction.atomic` function `update_product` (line 6): the task is sent to the broker at once, not at the commit: it still runs if the transaction rolls back (a note: its delay makes running before the commit unlikely)
# file: shop/tasks.py
from celery import shared_task


@shared_task
def reindex(product_id):
    pass

# case: deferred-to-the-commit (valid)
# note: on_commit callbacks, delay_on_commit, a replica alias, and calls after the block are silent.
from functools import partial

from celery import shared_task
from django.db import transaction


@shared_task
def notify(user_id):
    pass


@shared_task
def close_account(user_id):
    with transaction.atomic():
        transaction.on_commit(lambda: notify.delay(user_id))
        transaction.on_commit(partial(notify.delay, user_id))
        notify.delay_on_commit(user_id)
    with transaction.atomic(using="replica"):
        notify.delay(user_id)
    notify.delay(user_id)

# case: project-wrapper-and-sqlalchemy (invalid)
# note: A project context manager that opens atomic() holds a transaction; so does session.begin().
from contextlib import contextmanager

import dramatiq
import httpx
from django.db import transaction


@contextmanager
def locked_stock():
    with transaction.atomic():
        yield


@dramatiq.actor
def reserve(sku, session):
    with locked_stock():
        httpx.post("https://erp.example.com/reserve", json={"sku": sku})
        #     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `httpx.post` inside `locked_stock()` (line 16), which opens `transaction.atomic()`: the transaction keeps its row locks and its database connection for the whole HTTP round trip, and a rollback cannot undo the request
    with session.begin():
        reserve.send(sku, None)
        #       ^^^^^^^^^^^^^^^ `reserve.send` inside `session.begin()` (line 18): the task is sent to the broker at once, not at the commit: a worker can run it before its rows are committed, or after a rollback

# case: delay-on-commit-fix (invalid)
# note: Celery 5.4+ locked and a Django-configured app: .delay( becomes .delay_on_commit( (unsafe).
from celery import shared_task
from django.db import transaction


@shared_task
def send_welcome(user_id):
    pass


def register(user):
    with transaction.atomic():
        user.save()
        send_welcome.delay(user.pk)
        #            ^^^^^^^^^^^^^^ `send_welcome.delay` inside `transaction.atomic()` (line 11): the task is sent to the broker at once, not at the commit: a worker can run it before its rows are committed, or after a rollback
# fixed:
from celery import shared_task
from django.db import transaction


@shared_task
def send_welcome(user_id):
    pass


def register(user):
    with transaction.atomic():
        user.save()
        send_welcome.delay_on_commit(user.pk)
# file: shop/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
# file: shop/settings.py
CELERY_BROKER_URL = "redis://localhost:6379/0"
# file: poetry.lock
# [[package]]
# name = "celery"
# version = "5.4.0"

# case: on-commit-wrap-fix (invalid)
# note: No Celery lock, so no `delay_on_commit`: the fix defers the send with `on_commit`, binding
# note: the arguments now (`.s(...)`), and imports `transaction`, which the module has no name for.
"""Stock moves: the warehouse counts are rebuilt after each move."""
from celery import shared_task
from django.db.transaction import atomic

from shop.models import Stock


@shared_task
def rebuild_counts(warehouse_id):
    pass


def move_stock(stocks, target_id):
    with atomic():
        for stock in stocks:
            Stock.objects.filter(pk=stock.pk).update(warehouse_id=target_id)
            rebuild_counts.delay(stock.warehouse_id)
            #              ^^^^^^^^^^^^^^^^^^^^^^^^^ `rebuild_counts.delay` inside `atomic()` (line 14): the task is sent to the broker at once, not at the commit: a worker can run it before its rows are committed, or after a rollback
# fixed:
"""Stock moves: the warehouse counts are rebuilt after each move."""
from celery import shared_task
from django.db.transaction import atomic
from django.db import transaction

from shop.models import Stock


@shared_task
def rebuild_counts(warehouse_id):
    pass


def move_stock(stocks, target_id):
    with atomic():
        for stock in stocks:
            Stock.objects.filter(pk=stock.pk).update(warehouse_id=target_id)
            transaction.on_commit(rebuild_counts.s(stock.warehouse_id).delay)
# file: shop/models.py
from django.db import models


class Stock(models.Model):
    warehouse_id = models.IntegerField()
