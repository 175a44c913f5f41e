# case: delay-over-task-argument (invalid)
# note: A task argument is a list of any length: a warning, with Celery's group/chunks as the suggestion.
from celery import shared_task


@shared_task
def send_digest(user_id):
    pass


@shared_task
def notify_all(user_ids):
    for user_id in user_ids:
        send_digest.delay(user_id)
        #           ^^^^^^^^^^^^^^ `send_digest.delay` inside the `for` loop (line 11) enqueues one job per iteration over `user_ids`, a task argument (a list of any length), one message to the broker each; send them together with `group(send_digest.s(x) for x in xs).apply_async()` (one producer) or `send_digest.chunks(zip(xs), 100)` (one message per 100)

# case: apply-async-in-comprehension-of-unknown-size (invalid)
# note: What a helper returns has no known size: a note.
from celery import shared_task

from shop.models import active_accounts


@shared_task
def sync_account(account_id):
    pass


@shared_task
def sync_all():
    return [sync_account.apply_async((a.id,), queue="sync") for a in active_accounts()]
    #                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `sync_account.apply_async` inside the comprehension enqueues one job per iteration over `active_accounts()` (its size is not known), one message to the broker each; send them together with `group(sync_account.s(x) for x in xs).apply_async()` (one producer) or `sync_account.chunks(zip(xs), 100)` (one message per 100)

# case: literal-list-is-small (valid)
# note: A literal list or range of at most 100 elements, or settings.LANGUAGES, is small: nothing.
from celery import shared_task
from django.conf import settings

REGIONS = ["eu", "us", "ap"]


@shared_task
def rebuild_region(region):
    pass


@shared_task
def rebuild_all():
    for region in REGIONS:
        rebuild_region.delay(region)
    for shard in range(16):
        rebuild_region.delay(str(shard))
    for code, _ in settings.LANGUAGES:
        rebuild_region.delay(code)

# case: retry-loop-that-stops-once-sent (valid)
# note: A while loop that leaves right after its enqueue sends one message, not one per step.
import time

from celery import shared_task
from kombu.exceptions import OperationalError


@shared_task
def export_report(report_id):
    pass


def request_export(report_id):
    while True:
        try:
            export_report.delay(report_id)
        except OperationalError:
            time.sleep(1)
        else:
            break

# case: rq-enqueue-in-a-view (invalid)
# note: Anywhere in the project, not only in task code; RQ's enqueue_many is the suggestion.
from django_rq import get_queue

from shop.mail import send_invoice


def resend_invoices(request, invoice_ids):
    queue = get_queue("mail")
    for invoice_id in range(int(request.GET["count"])):
        queue.enqueue(send_invoice, invoice_id)
        #     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `queue.enqueue` inside the `for` loop (line 8) enqueues one job per iteration over `range(int(request.GET["count"]))`, a range over a count that no small literal bounds, one message to the broker each; send them together with `queue.enqueue_many([Queue.prepare_data(f, args) ...])`
# file: shop/mail.py
def send_invoice(invoice_id):
    pass

# case: dramatiq-send-has-no-bulk-form (invalid)
# note: Dramatiq's send counts only on a resolved actor; Django's Signal.send never does.
import dramatiq
from django.dispatch import Signal

order_paid = Signal()


@dramatiq.actor
def capture_payment(order_id):
    pass


@dramatiq.actor
def capture_all(order_ids):
    for order_id in order_ids:
        order_paid.send(sender=None, order_id=order_id)
        capture_payment.send(order_id)
        #               ^^^^^^^^^^^^^^ `capture_payment.send` inside the `for` loop (line 14) enqueues one job per iteration over `order_ids`, a task argument (a list of any length), one message to the broker each (Dramatiq has no bulk enqueue, so send them from one task that loops)

# case: project-wrapper-enqueues-per-call (invalid)
# note: A function of the module that enqueues once is an enqueue per call; one that batches is not.
from celery import group, shared_task


@shared_task
def index_product(product_id):
    pass


def schedule_indexing(product_id):
    index_product.apply_async((product_id,), countdown=5)


def schedule_batch(product_ids):
    group(index_product.s(p) for p in product_ids).apply_async()


@shared_task
def reindex(product_ids):
    for product_id in product_ids:
        schedule_indexing(product_id)
        #^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `schedule_indexing` inside the `for` loop (line 19) enqueues one job per iteration over `product_ids`, a task argument (a list of any length), one message to the broker each; send them together with `group(index_product.s(x) for x in xs).apply_async()` (one producer) or `index_product.chunks(zip(xs), 100)` (one message per 100)
    for chunk in product_ids:
        schedule_batch(chunk)

# case: queryset-loop (invalid)
# note: An unbounded queryset is large: a warning.
from celery import shared_task

from shop.models import Customer


@shared_task
def send_newsletters():
    for customer in Customer.objects.filter(subscribed=True):
        send_newsletter.delay(customer.pk)
        #               ^^^^^^^^^^^^^^^^^^ `send_newsletter.delay` inside the `for` loop (line 8) enqueues one job per iteration over `Customer.objects.filter(...)`, a filtered queryset whose size is not known (nothing in the project reads `Customer` in batches), one message to the broker each; send them together with `group(send_newsletter.s(x) for x in xs).apply_async()` (one producer) or `send_newsletter.chunks(zip(xs), 100)` (one message per 100)


@shared_task
def send_newsletter(customer_id):
    pass
# file: shop/models.py
from django.db import models


class Customer(models.Model):
    subscribed = models.BooleanField(default=False)

# case: one-job-per-batch (valid)
# note: Each job takes a slice of the list: the chunking is already done (one job per 1000).
from celery import shared_task

BATCH = 1000


@shared_task
def mark_dirty(product_ids):
    pass


def mark_dirty_in_batches(product_ids):
    for start in range(0, len(product_ids), BATCH):
        batch = product_ids[start : start + BATCH]
        mark_dirty.delay(batch)

# case: one-job-per-page-of-a-query (valid)
# note: Each pass takes the next 1000 ids (`list(...[:1000])`) and sends them as one job.
from celery import shared_task

from shop.models import Delivery


@shared_task
def purge_deliveries(ids):
    Delivery.objects.filter(id__in=ids).delete()


def purge_old_deliveries(webhook_id):
    last_id = 0
    while True:
        ids = list(
            Delivery.objects.filter(id__gt=last_id).order_by("id").values_list("id", flat=True)[:1000]
        )
        if not ids:
            break
        last_id = ids[-1]
        purge_deliveries.delay(ids)
# file: shop/models.py
from django.db import models


class Delivery(models.Model):
    payload = models.TextField()
