# case: beat-entry-with-a-typo (invalid)
# file: shopsite/settings.py
from celery.schedules import crontab

CELERY_BROKER_URL = "redis://localhost:6379/0"
CELERY_BEAT_SCHEDULE = {
    "nightly-digest": {
        "task": "shop.tasks.send_digests",
        #       ^^^^^^^^^^^^^^^^^^^^^^^^^ the beat entry `nightly-digest` runs `shop.tasks.send_digests`, which no task of this project is registered as (`shop/tasks.py` defines no `send_digests`) (did you mean `shop.tasks.send_digest`?): each time it is due the worker logs "Received unregistered task of type 'shop.tasks.send_digests'" and discards the message, so it never runs
        "schedule": crontab(hour=3, minute=0),
    },
}

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# file: shop/__init__.py
# file: shop/tasks.py
from celery import shared_task


@shared_task
def send_digest():
    pass

# case: task-moved-to-another-module (invalid)
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.beat_schedule = {
    "purge-carts": {"task": "shop.carts.purge_abandoned", "schedule": 3600.0},
    #                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ the beat entry `purge-carts` runs `shop.carts.purge_abandoned`, which no task of this project is registered as (there is no module `shop.carts`) (did you mean `shop.cart.tasks.purge_abandoned`?): each time it is due the worker logs "Received unregistered task of type 'shop.carts.purge_abandoned'" and discards the message, so it never runs
}

# file: shop/__init__.py
# file: shop/cart/__init__.py
# file: shop/cart/tasks.py
from shop.celery import app


@app.task
def purge_abandoned():
    pass

# case: custom-name-not-the-default (invalid)
# note: a task registered with name= is not also registered under module.function.
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.update(
    beat_schedule={
        "reindex": {"task": "shop.tasks.reindex_products", "schedule": 600},
        #                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ the beat entry `reindex` runs `shop.tasks.reindex_products`, which no task of this project is registered as (`reindex_products` in `shop/tasks.py` is registered as `search.reindex`) (did you mean `search.reindex`?): each time it is due the worker logs "Received unregistered task of type 'shop.tasks.reindex_products'" and discards the message, so it never runs
    },
)

# file: shop/__init__.py
# file: shop/tasks.py
from shop.celery import app


@app.task(name="search.reindex")
def reindex_products():
    pass

# case: celeryconfig-module (invalid)
# file: celeryconfig.py
broker_url = "redis://localhost:6379/0"
beat_schedule = {
    "send-reports": {"task": "reports.tasks.send_weekly", "schedule": 604800},
    #                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^ the beat entry `send-reports` runs `reports.tasks.send_weekly`, which no task of this project is registered as (`reports/tasks.py` defines no `send_weekly`) (did you mean `reports.tasks.send_weekly_report`?): each time it is due the worker logs "Received unregistered task of type 'reports.tasks.send_weekly'" and discards the message, so it never runs
}

# file: app.py
from celery import Celery

app = Celery("reports")
app.config_from_object("celeryconfig")
# file: reports/__init__.py
# file: reports/tasks.py
from app import app


@app.task
def send_weekly_report():
    pass

# case: class-task-name (invalid)
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.beat_schedule = {
    "sync": {"task": "shop.tasks.sync_catalog", "schedule": 300},
    #                ^^^^^^^^^^^^^^^^^^^^^^^^^ the beat entry `sync` runs `shop.tasks.sync_catalog`, which no task of this project is registered as (`shop/tasks.py` defines no `sync_catalog`): each time it is due the worker logs "Received unregistered task of type 'shop.tasks.sync_catalog'" and discards the message, so it never runs
}

# file: shop/__init__.py
# file: shop/tasks.py
from celery import Task


class SyncCatalog(Task):
    name = "shop.catalog.sync"

    def run(self):
        pass

# case: send-task-with-a-typo (invalid)
# note: send_task may target another service's worker: a note.
# file: shop/views.py
from shop.celery import app


def checkout(order_id):
    app.send_task("shop.tasks.capture_paymnet", args=[order_id])
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `send_task` names `shop.tasks.capture_paymnet`, which no task of this project is registered as (`shop/tasks.py` defines no `capture_paymnet`) (did you mean `shop.tasks.capture_payment`?): unless another service's worker registers it, the worker logs "Received unregistered task of type 'shop.tasks.capture_paymnet'" and discards the message

# file: shop/__init__.py
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
# file: shop/tasks.py
from shop.celery import app


@app.task
def capture_payment(order_id):
    pass

# case: send-task-to-a-missing-module (invalid)
# file: shop/views.py
from shop.celery import app


def refund(order_id):
    app.send_task("shop.refunds.tasks.refund", args=[order_id])
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^ `send_task` names `shop.refunds.tasks.refund`, which no task of this project is registered as (there is no module `shop.refunds.tasks`): unless another service's worker registers it, the worker logs "Received unregistered task of type 'shop.refunds.tasks.refund'" and discards the message

# file: shop/__init__.py
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: beat-entry-in-settings-with-env-broker (invalid)
# note: the broker does not matter: the name is looked up among the project's tasks.
# file: shopsite/settings.py
import os

CELERY_BROKER_URL = os.environ["BROKER_URL"]
CELERY_BEAT_SCHEDULE = {
    "expire-sessions": {"task": "accounts.tasks.expire_session", "schedule": 900},
    #                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ the beat entry `expire-sessions` runs `accounts.tasks.expire_session`, which no task of this project is registered as (`accounts/tasks.py` defines no `expire_session`) (did you mean `accounts.tasks.expire_sessions`?): each time it is due the worker logs "Received unregistered task of type 'accounts.tasks.expire_session'" and discards the message, so it never runs
}

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
# file: accounts/__init__.py
# file: accounts/tasks.py
from celery import shared_task


@shared_task
def expire_sessions():
    pass

# case: beat-entry-naming-a-task (valid)
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.beat_schedule = {
    "purge-carts": {"task": "shop.tasks.purge_abandoned", "schedule": 3600.0},
}

# file: shop/__init__.py
# file: shop/tasks.py
from shop.celery import app


@app.task
def purge_abandoned():
    pass

# case: beat-entry-naming-a-custom-name (valid)
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.beat_schedule = {
    "reindex": {"task": "search.reindex", "schedule": 600},
    "sync": {"task": "shop.catalog.sync", "schedule": 300},
}

# file: shop/__init__.py
# file: shop/tasks.py
from celery import Task

from shop.celery import app


@app.task(name="search.reindex")
def reindex_products():
    pass


class SyncCatalog(Task):
    name = "shop.catalog.sync"

    def run(self):
        pass

# case: celery-built-in-task (valid)
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.beat_schedule = {
    "cleanup": {"task": "celery.backend_cleanup", "schedule": 86400},
}

# case: installed-package-task (valid)
# note: a task of an installed package is not in the project: nothing is known about it.
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://localhost:6379/0"
CELERY_BEAT_SCHEDULE = {
    "send-queued-mail": {"task": "post_office.tasks.send_queued_mail", "schedule": 600},
}

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: function-with-an-unknown-decorator (valid)
# note: the function exists under that name; a decorator from a package may register it.
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.beat_schedule = {
    "refresh": {"task": "shop.tasks.refresh_rates", "schedule": 600},
}

# file: shop/__init__.py
# file: shop/tasks.py
from tenant_tasks import tenant_task


@tenant_task
def refresh_rates():
    pass

# case: send-task-to-another-service (valid)
# note: a name outside the project's packages belongs to another service.
# file: shop/views.py
from shop.celery import app


def charge(order_id):
    app.send_task("billing.tasks.charge", args=[order_id])

# file: shop/__init__.py
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: a-task-name-is-not-literal (valid)
# note: a task registered under a computed name may be the one the entry names.
# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.beat_schedule = {
    "refresh": {"task": "shop.tasks.refresh", "schedule": 600},
}

# file: shop/__init__.py
# file: shop/tasks.py
from shop.celery import app

PREFIX = "shop.tasks"


@app.task(name=f"{PREFIX}.refresh")
def refresh_all():
    pass

# case: send-task-on-something-else (valid)
# note: only `send_task` on a Celery app counts.
# file: shop/views.py
from shop.queue import client


def charge(order_id):
    client.send_task("shop.tasks.charge", order_id)
