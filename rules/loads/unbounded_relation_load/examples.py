# WL302 unbounded-relation-load: its Python examples (format: workerlint/app/examples.py)

# case: list-of-an-unbounded-queryset (invalid)
from celery import shared_task

from shop.models import Subscriber


@shared_task
def snapshot_subscribers():
    subscribers = list(Subscriber.objects.filter(confirmed=True))
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `list()` of `Subscriber.objects.filter(...)` loads every matching row into memory at once; iterate with `.iterator(chunk_size=2000)` and work chunk by chunk, or bound the query with a slice
    return len(subscribers)

# file: shop/models.py
from django.db import models


class Subscriber(models.Model):
    email = models.EmailField(unique=True)
    confirmed = models.BooleanField(default=False)

# case: flat-values-list-is-a-note (invalid)
# note: One value per row is far lighter than a model instance, but still every row at once.
from celery import shared_task

from shop.models import Subscriber


@shared_task
def collect_ids():
    return list(Subscriber.objects.values_list("id", flat=True))
    #      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `list()` of `Subscriber.objects.values_list(...)` loads one value for every matching row into memory at once; iterate with `.iterator(chunk_size=2000)` and work chunk by chunk, or bound the query with a slice

# file: shop/models.py
from django.db import models


class Subscriber(models.Model):
    email = models.EmailField(unique=True)

# case: len-and-truth-of-a-queryset (invalid)
# note: `len()` and `if qs:` load every row; `.count()` and `.exists()` ask the database.
from celery import shared_task

from shop.models import Subscriber


@shared_task
def report_pending():
    pending = Subscriber.objects.filter(confirmed=False)
    if pending:
     # ^^^^^^^ `if` on `pending` (`Subscriber.objects.filter(...)`, line 8) loads every matching row to test whether there is one; `.exists()` asks the database for one row
        return len(pending)
        #      ^^^^^^^^^^^^ `len()` of `pending` (`Subscriber.objects.filter(...)`, line 8) loads every matching row to count them; `.count()` counts in SQL
    return 0
# fixed:
from celery import shared_task

from shop.models import Subscriber


@shared_task
def report_pending():
    pending = Subscriber.objects.filter(confirmed=False)
    if pending.exists():
        return pending.count()
    return 0

# file: shop/models.py
from django.db import models


class Subscriber(models.Model):
    confirmed = models.BooleanField(default=False)

# case: truth-test-before-iterating-the-same-local (valid)
# note: The loop loads the rows anyway and reuses the result cache the `if` filled (PYTHON.md §9).
from celery import shared_task

from shop.models import Subscriber


@shared_task
def welcome_new():
    fresh = Subscriber.objects.filter(welcomed=False)
    if not fresh:
        return
    for subscriber in fresh:
        subscriber.welcome()

# file: shop/models.py
from django.db import models


class Subscriber(models.Model):
    welcomed = models.BooleanField(default=False)

    def welcome(self):
        pass

# case: bounded-and-scoped-loads (valid)
# note: A slice, a foreign key equal to one value, ids from a task argument and `in_bulk(ids)` are not reported.
from celery import shared_task

from shop.models import Subscriber


@shared_task
def sample(list_id, ids):
    first = list(Subscriber.objects.order_by("id")[:50])
    members = list(Subscriber.objects.filter(mailing_list_id=list_id))
    chosen = list(Subscriber.objects.filter(pk__in=ids))
    found = Subscriber.objects.in_bulk(ids)
    return first, members, chosen, found

# file: shop/models.py
from django.db import models


class MailingList(models.Model):
    pass


class Subscriber(models.Model):
    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE)

# case: in-bulk-without-ids (invalid)
from celery import shared_task

from shop.models import Subscriber


@shared_task
def index_subscribers():
    by_id = Subscriber.objects.in_bulk()
    #                          ^^^^^^^^^ `Subscriber.objects.in_bulk()` loads every matching row into one dict in memory; pass the ids it needs (`in_bulk(ids)`), or iterate with `.iterator()`
    return len(by_id)

# file: shop/models.py
from django.db import models


class Subscriber(models.Model):
    pass

# case: sqlalchemy-all-and-fetchall (invalid)
from celery import shared_task
from sqlalchemy import select

from shop.db import Session
from shop.models import Event


@shared_task
def export_events():
    session = Session()
    pending = session.query(Event).filter(Event.sent == False).all()  # noqa: E712
    #                                                          ^^^^^ `.all()` on `session.query(Event).filter(...)` loads every matching row into memory at once; stream it with `.yield_per(1000)` (`execution_options(yield_per=1000)` on a `select`), or bound it with `.limit(n)`
    rows = session.execute(select(Event)).scalars().all()
    #                                               ^^^^^ `.all()` on `session.execute(select(Event)).scalars()` loads every matching row into memory at once; stream it with `.yield_per(1000)` (`execution_options(yield_per=1000)` on a `select`), or bound it with `.limit(n)`
    first = session.query(Event).limit(10).all()
    mine = session.query(Event).filter_by(account_id=1).all()
    return pending, rows, first, mine

# case: pandas-read-sql-without-chunksize (invalid)
import pandas as pd
from celery import shared_task
from django.db import connection


@shared_task
def build_report():
    frame = pd.read_sql("SELECT * FROM shop_order", connection)
    #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `pd.read_sql` without `chunksize` loads every row of the query into one DataFrame; pass `chunksize=` to read it in chunks
    chunks = pd.read_sql("SELECT * FROM shop_order", connection, chunksize=5000)
    return frame, chunks
