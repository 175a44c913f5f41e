# case: countdown-above-the-redis-default (invalid)
# note: Redis's visibility timeout is 3600 s unless broker_transport_options sets it.
from celery import shared_task


@shared_task
def send_reminder(cart_id):
    pass


def schedule_reminder(cart_id):
    send_reminder.apply_async((cart_id,), countdown=2 * 60 * 60)
    #                                               ^^^^^^^^^^^ `countdown` delays the task by 7200 s (2 hours), beyond the Redis visibility timeout of 3600 s (the redis transport's default): the message waits unacknowledged on a worker for its ETA, Redis hands it out again every 3600 s, and the task runs more than once

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: eta-now-plus-a-day (invalid)
from datetime import timedelta

from celery import shared_task
from django.utils import timezone


@shared_task
def expire_invitation(invitation_id):
    pass


def invite(invitation_id):
    expire_invitation.apply_async((invitation_id,), eta=timezone.now() + timedelta(days=1))
    #                                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `eta` delays the task by 86400 s (24 hours), beyond the Redis visibility timeout of 3600 s (the redis transport's default): the message waits unacknowledged on a worker for its ETA, Redis hands it out again every 3600 s, and the task runs more than once

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: retry-countdown-above-a-configured-timeout (invalid)
from shop.celery import app


@app.task(bind=True, max_retries=5)
def sync_order(self, order_id):
    try:
        return order_id
    except ConnectionError as error:
        raise self.retry(exc=error, countdown=900)
        #                                     ^^^ `countdown` delays the task by 900 s (15 minutes), beyond the Redis visibility timeout of 600 s (shop/celery.py:4): the message waits unacknowledged on a worker for its ETA, Redis hands it out again every 600 s, and the task runs more than once

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.broker_transport_options = {"visibility_timeout": 600}

# case: default-retry-delay-with-autoretry (invalid)
from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), default_retry_delay=3 * 3600)
#                                                                  ^^^^^^^^ `default_retry_delay` delays each retry by 10800 s (3 hours), beyond the Redis visibility timeout of 3600 s (the redis transport's default): the message waits unacknowledged on a worker for its ETA, Redis hands it out again every 3600 s, and the task runs more than once
def refresh_feed(feed_id):
    pass

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: backoff-reaches-its-maximum (invalid)
# note: max_retries=None retries until the backoff reaches retry_backoff_max.
from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, retry_backoff_max=7200, max_retries=None)
#                                                                                    ^^^^ `retry_backoff_max` lets the retry backoff reach 7200 s (2 hours), beyond the Redis visibility timeout of 3600 s (the redis transport's default): the message waits unacknowledged on a worker for its ETA, Redis hands it out again every 3600 s, and the task runs more than once
def deliver_webhook(url):
    pass

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: sqs-default-timeout (invalid)
# note: SQS's default visibility timeout is 1800 s.
from celery import shared_task


@shared_task
def close_auction(auction_id):
    pass


def schedule_close(auction_id):
    close_auction.apply_async((auction_id,), countdown=3600)
    #                                                  ^^^^ `countdown` delays the task by 3600 s (60 minutes), beyond the SQS visibility timeout of 1800 s (the sqs transport's default): the message waits unacknowledged on a worker for its ETA, SQS hands it out again every 1800 s, and the task runs more than once

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="sqs://")

# case: signature-set-countdown (invalid)
from celery import shared_task


@shared_task
def refresh(product_id):
    pass


def schedule_refresh(product_id):
    refresh.s(product_id).set(countdown=5400).delay()
    #                                   ^^^^ `countdown` delays the task by 5400 s (90 minutes), beyond the Redis visibility timeout of 3600 s (the redis transport's default): the message waits unacknowledged on a worker for its ETA, Redis hands it out again every 3600 s, and the task runs more than once

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: django-settings-and-a-module-constant (invalid)
from datetime import timedelta

from celery import shared_task

REMINDER_DELAY = timedelta(hours=6)


@shared_task
def remind(order_id):
    pass


def schedule(order_id):
    remind.apply_async(args=[order_id], countdown=REMINDER_DELAY.total_seconds())
    #                                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `countdown` delays the task by 21600 s (6 hours), beyond the Redis visibility timeout of 3600 s (the redis transport's default): the message waits unacknowledged on a worker for its ETA, Redis hands it out again every 3600 s, and the task runs more than once

# file: shopsite/settings.py
import os

CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: countdown-within-the-timeout (valid)
from celery import shared_task


@shared_task
def send_reminder(cart_id):
    pass


def schedule_reminder(cart_id):
    send_reminder.apply_async((cart_id,), countdown=30 * 60)

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: raised-visibility-timeout (valid)
from celery import shared_task


@shared_task
def send_reminder(cart_id):
    pass


def schedule_reminder(cart_id):
    send_reminder.apply_async((cart_id,), countdown=2 * 60 * 60)

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.broker_transport_options = {"visibility_timeout": 12 * 3600}

# case: broker-from-the-environment (valid)
# note: a broker URL with no default is unknown: no visibility timeout to compare with.
from celery import shared_task


@shared_task
def send_reminder(cart_id):
    pass


def schedule_reminder(cart_id):
    send_reminder.apply_async((cart_id,), countdown=2 * 60 * 60)

# file: shop/celery.py
import os

from celery import Celery

app = Celery("shop", broker=os.environ["BROKER_URL"])

# case: rabbitmq-broker (valid)
# note: RabbitMQ has no visibility timeout (its consumer_timeout is not modelled).
from celery import shared_task


@shared_task
def send_reminder(cart_id):
    pass


def schedule_reminder(cart_id):
    send_reminder.apply_async((cart_id,), countdown=2 * 60 * 60)

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="amqp://guest@localhost//")

# case: custom-transport-class (valid)
# note: a custom transport may cap delays itself (Saleor's SQS transport caps DelaySeconds at 900).
from celery import shared_task


@shared_task
def send_reminder(cart_id):
    pass


def schedule_reminder(cart_id):
    send_reminder.apply_async((cart_id,), countdown=2 * 60 * 60)

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="sqs://")
app.conf.broker_transport = "shop.transport.CappedSQSTransport"

# case: countdown-from-an-argument (valid)
# note: not a constant: nothing is known (`--verbose` says so).
from celery import shared_task


@shared_task
def send_reminder(cart_id):
    pass


def schedule_reminder(cart_id, delay):
    send_reminder.apply_async((cart_id,), countdown=delay)

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: default-backoff-maximum (valid)
# note: Celery caps the backoff at 600 s by default.
from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=None)
def deliver_webhook(url):
    pass

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: backoff-stops-before-its-maximum (valid)
# note: five retries with a factor of 60 wait at most 60 * 2**4 = 960 s.
from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=60, retry_backoff_max=7200, max_retries=5)
def deliver_webhook(url):
    pass

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: process-pool-apply-async (valid)
from multiprocessing import Pool

from celery import shared_task


@shared_task
def render(pages):
    with Pool(4) as pool:
        return pool.apply_async(len, (pages,)).get()

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")
