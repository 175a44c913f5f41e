# case: rq-failure-ttl-zero (invalid)
# note: RQ deletes a job whose failure_ttl is 0 as soon as it fails (Job.cleanup(ttl=0)).
from redis import Redis
from rq import Queue, Retry

queue = Queue("default", connection=Redis())


def sync_catalog(shop_id):
    pass


def schedule_sync(shop_id):
    queue.enqueue(sync_catalog, shop_id, retry=Retry(max=3), failure_ttl=0)
    #                                                                    ^ `failure_ttl` is 0: a job that fails is deleted at once instead of kept in RQ's FailedJobRegistry (a year by default), where it can be inspected and requeued

# case: rq-job-decorator-tiny-failure-ttl (invalid)
from django_rq import job


@job("default", failure_ttl=300)
#                           ^^^ `failure_ttl` is 300: a failed job is deleted after 5 minutes instead of kept in RQ's FailedJobRegistry (a year by default), where it can be inspected and requeued
def rebuild_thumbnails(image_id):
    pass

# case: rq-enqueue-in-failure-ttl (invalid)
from datetime import timedelta

import django_rq


def send_reminder(user_id):
    pass


def schedule_reminder(user_id):
    queue = django_rq.get_queue("mail")
    queue.enqueue_in(timedelta(hours=1), send_reminder, user_id, failure_ttl=60)
    #                                                                        ^^ `failure_ttl` is 60: a failed job is deleted after 60 seconds instead of kept in RQ's FailedJobRegistry (a year by default), where it can be inspected and requeued

# case: rq-enqueue-call-failure-ttl (invalid)
from redis import Redis
from rq import Queue

queue = Queue("reports", connection=Redis())


def export(report_id):
    queue.enqueue_call(func="shop.reports.build", args=(report_id,), failure_ttl=0.5)
    #                                                                            ^^^ `failure_ttl` is 0.5: a failed job is deleted after less than a second instead of kept in RQ's FailedJobRegistry (a year by default), where it can be inspected and requeued

# case: dramatiq-dead-message-ttl-in-seconds (invalid)
# note: dead_message_ttl is in milliseconds: 86400 is 86 seconds, not a day.
import dramatiq
from dramatiq.brokers.redis import RedisBroker

broker = RedisBroker(url="redis://localhost:6379/0", dead_message_ttl=86400)
#                                                                     ^^^^^ `dead_message_ttl` is 86400 milliseconds: a message that exhausts its retries is dropped from the dead-letter queue after 86 seconds instead of kept 7 days (Dramatiq's default), where it can be inspected and requeued
dramatiq.set_broker(broker)

# case: dramatiq-dead-message-ttl-zero (invalid)
import dramatiq
from dramatiq.brokers.redis import RedisBroker

dramatiq.set_broker(RedisBroker(host="redis", dead_message_ttl=0))
#                                                              ^ `dead_message_ttl` is 0 milliseconds: a message that exhausts its retries is dropped from the dead-letter queue after less than a second instead of kept 7 days (Dramatiq's default), where it can be inspected and requeued

# case: rq-failure-ttl-just-under-an-hour (invalid)
from rq import Queue
from rq.decorators import job

from shop.redis import connection


@job("default", connection=connection, failure_ttl=3599)
#                                                  ^^^^ `failure_ttl` is 3599: a failed job is deleted after 59 minutes instead of kept in RQ's FailedJobRegistry (a year by default), where it can be inspected and requeued
def rebuild_thumbnails(image_id):
    pass

# case: rq-job-decorator-failure-ttl-zero (invalid)
from rq import job

from shop.redis import connection


@job("low", connection=connection, failure_ttl=0)
#                                              ^ `failure_ttl` is 0: a job that fails is deleted at once instead of kept in RQ's FailedJobRegistry (a year by default), where it can be inspected and requeued
def purge_cache(key):
    pass

# case: rq-default-failure-ttl (valid)
from redis import Redis
from rq import Queue, Retry

queue = Queue("default", connection=Redis())


def schedule_sync(shop_id):
    queue.enqueue("shop.catalog.sync", shop_id, retry=Retry(max=3))

# case: rq-failure-ttl-a-week (valid)
from redis import Redis
from rq import Queue

queue = Queue("default", connection=Redis())


def schedule_sync(shop_id):
    queue.enqueue("shop.catalog.sync", shop_id, failure_ttl=7 * 24 * 3600)

# case: rq-failure-ttl-negative-keeps-forever (valid)
# note: a negative ttl keeps the failed job without expiry.
from django_rq import job


@job("default", failure_ttl=-1)
def rebuild_thumbnails(image_id):
    pass

# case: rq-failure-ttl-from-settings (valid)
# note: not a literal: nothing is known, nothing reported (`--verbose` says so).
from django.conf import settings
from django_rq import job


@job("default", failure_ttl=settings.RQ_FAILURE_TTL)
def rebuild_thumbnails(image_id):
    pass

# case: enqueue-of-another-library (valid)
# note: without RQ imported, `enqueue(..., failure_ttl=0)` belongs to something else.
from shop.jobs import scheduler


def schedule_sync(shop_id):
    scheduler.enqueue("sync", shop_id, failure_ttl=0)

# case: dramatiq-dead-message-ttl-two-weeks (valid)
import dramatiq
from dramatiq.brokers.redis import RedisBroker

broker = RedisBroker(url="redis://localhost:6379/0", dead_message_ttl=14 * 86400 * 1000)
dramatiq.set_broker(broker)

# case: dramatiq-default-dead-message-ttl (valid)
import dramatiq
from dramatiq.brokers.redis import RedisBroker

dramatiq.set_broker(RedisBroker(url="redis://localhost:6379/0"))

# case: celery-default-acks-late-not-reported (valid)
# note: Celery's default acks_late=False loses a task killed mid-run; that is WL110's subject (PYTHON.md §9).
from celery import shared_task


@shared_task
def rebuild_search_index():
    pass
