# case: celery-max-retries-none-with-autoretry (invalid)
# note: `max_retries=None` lifts Celery's limit of 3: with `autoretry_for` a failing task never stops.
from celery import shared_task
from requests import RequestException

import requests


@shared_task(autoretry_for=(RequestException,), max_retries=None)
#                                                           ^^^^ `max_retries` is None and the task retries (`autoretry_for`): a failing task is retried forever; during an outage every failing task keeps coming back, multiplying the load
def deliver_webhook(url, payload):
    requests.post(url, json=payload, timeout=10)

# case: celery-max-retries-none-with-self-retry (invalid)
from celery import shared_task

from shop.gateway import GatewayError, capture


@shared_task(bind=True, max_retries=None, default_retry_delay=60)
#                                   ^^^^ `max_retries` is None and the task retries (`self.retry` on line 11): a failing task is retried forever; during an outage every failing task keeps coming back, multiplying the load
def capture_payment(self, payment_id):
    try:
        capture(payment_id)
    except GatewayError as error:
        raise self.retry(exc=error)

# case: celery-max-retries-above-limit (invalid)
from celery import Celery

app = Celery("shop")


@app.task(autoretry_for=(ConnectionError,), max_retries=100, retry_backoff=True)
#                                                       ^^^ `max_retries` is 100, above max-retries 25: a failing task is retried 100 times; during an outage every failing task keeps coming back, multiplying the load
def sync_inventory(warehouse_id):
    pass

# case: celery-retry-kwargs-above-limit (invalid)
from celery import shared_task


@shared_task(autoretry_for=(TimeoutError,), retry_kwargs={"max_retries": 40, "countdown": 30})
#                                                                        ^^ `retry_kwargs["max_retries"]` is 40, above max-retries 25: a failing task is retried 40 times; during an outage every failing task keeps coming back, multiplying the load
def refresh_rates():
    pass

# case: celery-retry-kwargs-from-a-module-constant (invalid)
# note: a name bound once to a literal in the module counts as that literal.
from celery import shared_task

RETRY_MAX = 60


@shared_task(autoretry_for=(TimeoutError,), retry_backoff=True, retry_kwargs={"max_retries": RETRY_MAX})
#                                                                                            ^^^^^^^^^ `retry_kwargs["max_retries"]` is 60 (`RETRY_MAX`), above max-retries 25: a failing task is retried 60 times; during an outage every failing task keeps coming back, multiplying the load
def send_order_confirmation(order_id):
    pass

# case: celery-retry-call-max-retries-above-limit (invalid)
from celery import shared_task


@shared_task(bind=True)
def import_feed(self, feed_id):
    try:
        return feed_id
    except OSError as error:
        raise self.retry(exc=error, countdown=60, max_retries=50)
        #                                                     ^^ `max_retries` of this `retry` is 50, above max-retries 25: a failing task is retried 50 times; during an outage every failing task keeps coming back, multiplying the load

# case: celery-class-task-max-retries-none (invalid)
from celery import Task


class ReindexProducts(Task):
    name = "shop.reindex_products"
    max_retries = None
    #             ^^^^ `max_retries` is None and the task retries (`self.retry` on line 10): a failing task is retried forever; during an outage every failing task keeps coming back, multiplying the load

    def run(self, batch):
        if not batch:
            raise self.retry(countdown=30)

# case: dramatiq-actor-max-retries-none (invalid)
# note: Dramatiq retries a failing actor 20 times by default; None removes the limit.
import dramatiq


@dramatiq.actor(max_retries=None, queue_name="mail")
#                           ^^^^ `max_retries` is None: a failing task is retried forever; during an outage every failing task keeps coming back, multiplying the load
def send_receipt(order_id):
    pass

# case: dramatiq-retries-middleware-above-limit (invalid)
import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Retries

broker = RedisBroker(url="redis://localhost:6379/0")
broker.add_middleware(Retries(max_retries=100))
#                                         ^^^ `max_retries` of the `Retries` middleware is 100, above max-retries 25: a failing task is retried 100 times; during an outage every failing task keeps coming back, multiplying the load
dramatiq.set_broker(broker)


@dramatiq.actor
def send_receipt(order_id):
    pass

# case: rq-retry-max-above-limit (invalid)
from django_rq import job
from rq import Retry


@job("default", retry=Retry(max=30, interval=60))
#                               ^^ `Retry(max=...)` is 30, above max-retries 25: a failing task is retried 30 times; during an outage every failing task keeps coming back, multiplying the load
def rebuild_thumbnails(image_id):
    pass

# case: arq-max-tries-counts-the-first-run (invalid)
from arq import func


async def charge(ctx, order_id):
    pass


class WorkerSettings:
    functions = [func(charge, max_tries=40)]
    #                                   ^^ `max_tries` is 40 (so 39 retries), above max-retries 25: a failing task is retried 39 times; during an outage every failing task keeps coming back, multiplying the load

# case: arq-worker-settings-max-tries (invalid)
import arq


async def charge(ctx, order_id):
    pass


class WorkerSettings:
    functions = [charge]
    max_tries = 100
    #           ^^^ `max_tries` is 100 (so 99 retries), above max-retries 25: a failing task is retried 99 times; during an outage every failing task keeps coming back, multiplying the load
    redis_settings = arq.connections.RedisSettings()

# case: huey-retries-above-limit (invalid)
from huey import RedisHuey

huey = RedisHuey("shop")


@huey.task(retries=50, retry_delay=10)
#                  ^^ `retries` is 50, above max-retries 25: a failing task is retried 50 times; during an outage every failing task keeps coming back, multiplying the load
def resize(image_id):
    pass

# case: celery-default-retries (valid)
# note: with `autoretry_for` alone Celery retries 3 times, 180 s apart.
from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True)
def sync_inventory(warehouse_id):
    pass

# case: celery-max-retries-within-limit (valid)
from celery import shared_task


@shared_task(bind=True, max_retries=10)
def import_feed(self, feed_id):
    try:
        return feed_id
    except OSError as error:
        raise self.retry(exc=error)

# case: celery-max-retries-none-without-retrying (valid)
# note: nothing retries this task here (no `autoretry_for`, no `retry` call): the setting has no effect.
from celery import shared_task


@shared_task(max_retries=None)
def cleanup_sessions():
    pass

# case: celery-retry-call-max-retries-none-means-default (valid)
# note: `self.retry(max_retries=None)` means "use the task's limit" (3 here), not forever.
from celery import shared_task


@shared_task(bind=True)
def import_feed(self, feed_id):
    try:
        return feed_id
    except OSError as error:
        raise self.retry(exc=error, max_retries=None)

# case: celery-max-retries-from-a-setting (valid)
# note: a value that is not a literal is not known: nothing is reported (`--verbose` says so).
from celery import shared_task
from django.conf import settings


@shared_task(autoretry_for=(ConnectionError,), max_retries=settings.WEBHOOK_RETRIES)
def deliver_webhook(url):
    pass

# case: dramatiq-default-retries (valid)
import dramatiq


@dramatiq.actor(max_retries=20)
def send_receipt(order_id):
    pass

# case: dramatiq-max-retries-none-with-retry-when (valid)
# note: with `retry_when` the actor's own predicate decides when to stop, not the count.
import dramatiq


def transient(retries, exception):
    return retries < 5 and isinstance(exception, ConnectionError)


@dramatiq.actor(max_retries=None, retry_when=transient)
def send_receipt(order_id):
    pass

# case: rq-retry-within-limit (valid)
from rq import Queue, Retry

from shop.redis import connection

queue = Queue("default", connection=connection)


def schedule_thumbnails(image_id):
    queue.enqueue("shop.images.rebuild", image_id, retry=Retry(max=3, interval=[10, 30, 60]))

# case: arq-max-tries-at-the-limit (valid)
# note: 26 tries are 25 retries: not above max-retries.
from arq import func


async def charge(ctx, order_id):
    pass


class WorkerSettings:
    functions = [func(charge, max_tries=26)]

# case: higher-limit-option (valid)
# options: { max-retries = 60 }
from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), max_retries=50)
def sync_inventory(warehouse_id):
    pass
