# WL301 unbatched-relation-iteration: its Python examples (format: workerlint/app/examples.py)

# case: filtered-queryset-of-a-model-read-in-batches-elsewhere (invalid)
# note: The project reads Invoice with `.iterator()` elsewhere: its rows are many, so a warning.
from celery import shared_task

from shop.models import Invoice


@shared_task
def remind_overdue():
    for invoice in Invoice.objects.filter(status="overdue"):
        #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ The `for` loop over `Invoice.objects.filter(...)` loads every matching row into memory before the first step (and keeps them in the queryset's cache); iterate with `.iterator(chunk_size=2000)`, which fetches 2000 rows at a time
        invoice.remind()
# fixed:
from celery import shared_task

from shop.models import Invoice


@shared_task
def remind_overdue():
    for invoice in Invoice.objects.filter(status="overdue").iterator(chunk_size=2000):
        invoice.remind()

# file: shop/exports.py
from shop.models import Invoice


def export_invoices(writer):
    for invoice in Invoice.objects.order_by("pk").iterator():
        writer.writerow([invoice.pk, invoice.status])
# file: shop/models.py
from django.db import models


class Invoice(models.Model):
    status = models.CharField(max_length=20)

# case: whole-table-queryset (invalid)
# note: No filter: every row of the table, whether or not the project batches it elsewhere.
from celery import shared_task

from shop.models import Invoice


@shared_task
def reindex_invoices():
    for invoice in Invoice.objects.all():
        #          ^^^^^^^^^^^^^^^^^^^^^ The `for` loop over `Invoice.objects.all()` loads every matching row into memory before the first step (and keeps them in the queryset's cache); iterate with `.iterator(chunk_size=2000)`, which fetches 2000 rows at a time
        invoice.reindex()
# fixed:
from celery import shared_task

from shop.models import Invoice


@shared_task
def reindex_invoices():
    for invoice in Invoice.objects.all().iterator(chunk_size=2000):
        invoice.reindex()

# file: shop/models.py
from django.db import models


class Invoice(models.Model):
    status = models.CharField(max_length=20)

# case: for-loop-over-a-filtered-queryset (invalid)
# note: A filter on a plain column bounds nothing, but nothing shows the rows are many: a note.
from celery import shared_task

from shop.models import Invoice


@shared_task
def remind_unpaid():
    for invoice in Invoice.objects.filter(status="unpaid"):
        #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ The `for` loop over `Invoice.objects.filter(...)` loads every matching row into memory before the first step (and keeps them in the queryset's cache); how many is not known: the queryset is filtered and nothing in the project reads `Invoice` in batches, so this is a note; if the set can grow, iterate with `.iterator(chunk_size=2000)`, which fetches 2000 rows at a time
        invoice.remind()
# fixed:
from celery import shared_task

from shop.models import Invoice


@shared_task
def remind_unpaid():
    for invoice in Invoice.objects.filter(status="unpaid").iterator(chunk_size=2000):
        invoice.remind()

# file: shop/models.py
from django.db import models


class Customer(models.Model):
    email = models.EmailField(unique=True)


class Invoice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    number = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=20)
    created = models.DateTimeField(auto_now_add=True)

    def remind(self):
        pass

# case: queryset-through-a-local-and-a-comprehension (invalid)
from celery import shared_task

from shop.models import Invoice


@shared_task
def export_totals():
    invoices = Invoice.objects.exclude(status="void").order_by("created")
    return [invoice.number for invoice in invoices]
    #                                     ^^^^^^^^ The comprehension over `invoices` (`Invoice.objects.exclude(...).order_by(...)`, line 8) loads every matching row into memory before the first step (and keeps them in the queryset's cache); how many is not known: the queryset is filtered and nothing in the project reads `Invoice` in batches, so this is a note; if the set can grow, iterate with `.iterator(chunk_size=2000)`, which fetches 2000 rows at a time
# fixed:
from celery import shared_task

from shop.models import Invoice


@shared_task
def export_totals():
    invoices = Invoice.objects.exclude(status="void").order_by("created")
    return [invoice.number for invoice in invoices.iterator(chunk_size=2000)]

# file: shop/models.py
from django.db import models


class Invoice(models.Model):
    number = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=20)
    created = models.DateTimeField(auto_now_add=True)

# case: sqlalchemy-query-without-yield-per (invalid)
# note: A legacy `Query` buffers every row before the loop starts; `yield_per` streams them.
from celery import shared_task

from shop.db import Session
from shop.models import Event


@shared_task
def archive_events():
    session = Session()
    for event in session.query(Event).filter(Event.archived == False):  # noqa: E712
        #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ The `for` loop over `session.query(Event).filter(...)` fetches every matching row into memory; stream it with `.yield_per(1000)`
        event.archive()

# case: bounded-and-scoped-querysets (valid)
# note: `.iterator()`, a slice, the primary key with a task argument, a foreign key equal to one value, a unique field, a rolling time window and `get` are not reported.
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from shop.models import Invoice


@shared_task
def sweep(invoice_ids, customer_id, number):
    for invoice in Invoice.objects.filter(status="unpaid").iterator():
        invoice.remind()
    for invoice in Invoice.objects.order_by("-created")[:100]:
        invoice.remind()
    for invoice in Invoice.objects.filter(pk__in=invoice_ids):
        invoice.remind()
    for invoice in Invoice.objects.filter(customer_id=customer_id):
        invoice.remind()
    for invoice in Invoice.objects.filter(customer=customer_id, status="unpaid"):
        invoice.remind()
    for invoice in Invoice.objects.filter(number=number):
        invoice.remind()
    recent = timezone.now() - timedelta(hours=1)
    for invoice in Invoice.objects.filter(created__gte=recent):
        invoice.remind()
    Invoice.objects.get(pk=invoice_ids[0]).remind()

# file: shop/models.py
from django.db import models


class Customer(models.Model):
    email = models.EmailField(unique=True)


class Invoice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    number = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=20)
    created = models.DateTimeField(auto_now_add=True)

    def remind(self):
        pass

# case: foreign-key-list-does-not-bound (invalid)
# note: `customer__in` over every active customer selects the rows of all of them; an upper time bound is every older row.
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from shop.models import Customer, Invoice


@shared_task
def close_old():
    cutoff = timezone.now() - timedelta(days=30)
    active = Customer.objects.filter(active=True)
    stale = Invoice.objects.filter(customer__in=active, created__lt=cutoff)
    for invoice in stale:
        #          ^^^^^ The `for` loop over `stale` (`Invoice.objects.filter(...)`, line 13) loads every matching row into memory before the first step (and keeps them in the queryset's cache); how many is not known: the queryset is filtered and nothing in the project reads `Invoice` in batches, so this is a note; if the set can grow, iterate with `.iterator(chunk_size=2000)`, which fetches 2000 rows at a time
        invoice.close()
# fixed:
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from shop.models import Customer, Invoice


@shared_task
def close_old():
    cutoff = timezone.now() - timedelta(days=30)
    active = Customer.objects.filter(active=True)
    stale = Invoice.objects.filter(customer__in=active, created__lt=cutoff)
    for invoice in stale.iterator(chunk_size=2000):
        invoice.close()

# file: shop/models.py
from django.db import models


class Customer(models.Model):
    active = models.BooleanField(default=True)


class Invoice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    created = models.DateTimeField(auto_now_add=True)

    def close(self):
        pass

# case: foreign-key-list-from-a-task-argument (valid)
# note: The children of the parents a task is given: scoped like one parent's rows (their number is not known), not reported.
from celery import shared_task

from shop.models import Invoice


@shared_task
def close_for(customer_ids):
    for invoice in Invoice.objects.filter(customer__in=customer_ids):
        invoice.close()

# file: shop/models.py
from django.db import models


class Customer(models.Model):
    pass


class Invoice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)

    def close(self):
        pass

# case: reverse-relation-and-non-task-code (valid)
# note: A reverse relation on an instance is one parent's rows; code outside task code (a view) is not checked.
from celery import shared_task

from shop.models import Customer, Invoice


@shared_task
def notify_customer(customer_id):
    customer = Customer.objects.get(pk=customer_id)
    for invoice in customer.invoice_set.all():
        invoice.notify()

# file: shop/views.py
from shop.models import Invoice


def listing(request):
    return [invoice.pk for invoice in Invoice.objects.all()]

# file: shop/models.py
from django.db import models


class Customer(models.Model):
    pass


class Invoice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)

    def notify(self):
        pass

# case: custom-queryset-method-is-not-followed (valid)
# note: What a project's queryset method filters is not known: the chain is not reported.
from celery import shared_task

from shop.models import Invoice


@shared_task
def remind_overdue():
    for invoice in Invoice.objects.overdue():
        invoice.remind()

# file: shop/models.py
from django.db import models


class InvoiceQuerySet(models.QuerySet):
    def overdue(self):
        return self.filter(status="overdue")[:500]


class Invoice(models.Model):
    status = models.CharField(max_length=20)
    objects = InvoiceQuerySet.as_manager()

    def remind(self):
        pass

# case: local-iterated-twice-is-reported-once (invalid)
# note: The second loop reuses the result cache the first filled; `.iterator()` would drop it, so there is no fix.
from celery import shared_task

from shop.models import Invoice


@shared_task
def totals_and_remind():
    unpaid = Invoice.objects.filter(status="unpaid")
    total = sum(invoice.amount for invoice in unpaid)
    #                                         ^^^^^^ The comprehension over `unpaid` (`Invoice.objects.filter(...)`, line 8) loads every matching row into memory before the first step (and keeps them in the queryset's cache); how many is not known: the queryset is filtered and nothing in the project reads `Invoice` in batches, so this is a note; if the set can grow, iterate with `.iterator(chunk_size=2000)`, which fetches 2000 rows at a time
    for invoice in unpaid:
        invoice.remind(total)

# file: shop/models.py
from django.db import models


class Invoice(models.Model):
    status = models.CharField(max_length=20)
    amount = models.IntegerField()

    def remind(self, total):
        pass
