# WL107 queue-never-processed, Python: its examples (format: workerlint/app/examples.py)

# case: task-queue-not-in-worker-queues (invalid)
# file: orders/tasks.py
from celery import shared_task


@shared_task(queue="emails")
#                  ^^^^^^^^ no Celery worker consumes queue `emails` (task `orders.tasks.send_receipt`): the workers listen to `celery`, `orders` (`worker` (Procfile:2)); messages sent there wait in the broker and never run
def send_receipt(order_id):
    return order_id

# file: Procfile
# web: gunicorn shopsite.wsgi
# worker: celery -A shopsite worker -Q celery,orders

# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: route-to-a-queue-no-worker-reads (invalid)
# file: shopsite/settings.py
CELERY_TASK_ROUTES = {
    "orders.tasks.*": {"queue": "orders"},
    "reports.tasks.*": {"queue": "reports"},
    #                            ^^^^^^^^^ no Celery worker consumes queue `reports` (route `reports.tasks.*`): the workers listen to `celery`, `orders` (`worker` (Procfile:1)); messages sent there wait in the broker and never run
}

# file: Procfile
# worker: celery -A shopsite worker -Q orders,celery

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: beat-entry-options-queue (invalid)
# file: shopsite/settings.py
CELERY_BEAT_SCHEDULE = {
    "nightly-report": {
        "task": "reports.tasks.nightly",
        "schedule": 86400,
        "options": {"queue": "slow"},
        #                    ^^^^^^ no Celery worker consumes queue `slow` (beat entry `nightly-report`): the workers listen to `celery` (`worker` (Procfile:1)); messages sent there wait in the broker and never run
    },
}

# file: Procfile
# worker: celery -A shopsite worker -B

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: excluded-queue (invalid)
# note: -X removes a queue from those the worker would consume.
# file: celeryconfig.py
task_queues = {"celery": {}, "bulk": {}}
task_routes = {"worker.jobs.reindex": {"queue": "bulk"}}
#                                               ^^^^^^ no Celery worker consumes queue `bulk` (route `worker.jobs.reindex`): the workers listen to `celery` (`worker` (docker-compose.yml:4)); messages sent there wait in the broker and never run

# file: docker-compose.yml
# services:
#   worker:
#     image: shop
#     command: celery -A worker.app worker -X bulk

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: rq-job-queue-not-listened (invalid)
# file: shop/jobs.py
from django_rq import job


@job("imports")
#    ^^^^^^^^^ no RQ worker consumes queue `imports` (job `shop.jobs.import_feed`): the workers listen to `default`, `high` (`worker` (Procfile:1)); messages sent there wait in the broker and never run
def import_feed(url):
    return url

# file: Procfile
# worker: python manage.py rqworker high default

# case: rq-worker-without-queues-listens-to-default (invalid)
# file: shop/jobs.py
from rq.decorators import job


@job("mail", connection=None)
#    ^^^^^^ no RQ worker consumes queue `mail` (job `shop.jobs.send`): the workers listen to `default` (`shop-rq` (deploy/shop-rq.service:2)); messages sent there wait in the broker and never run
def send(to):
    return to

# file: deploy/shop-rq.service
# [Service]
# ExecStart=/srv/venv/bin/rq worker --url redis://localhost:6379/0

# case: dramatiq-queue-name-not-in-q (invalid)
# file: shop/actors.py
import dramatiq


@dramatiq.actor(queue_name="thumbnails")
#                          ^^^^^^^^^^^^ no Dramatiq worker consumes queue `thumbnails` (actor `shop.actors.thumbnail`): the workers listen to `default` (`worker` (Procfile:1)); messages sent there wait in the broker and never run
def thumbnail(path):
    return path

# file: Procfile
# worker: dramatiq shop.actors -p 2 -t 4 -Q default

# case: supervisord-worker-queues (invalid)
# file: orders/tasks.py
from celery import shared_task


@shared_task(queue="priority")
#                  ^^^^^^^^^^ no Celery worker consumes queue `priority` (task `orders.tasks.capture`): the workers listen to `orders` (`shop-worker` (deploy/supervisord.conf:2)); messages sent there wait in the broker and never run
def capture(payment_id):
    return payment_id


@shared_task(queue="orders")
def ship(order_id):
    return order_id

# file: deploy/supervisord.conf
# [program:shop-worker]
# command=/srv/venv/bin/celery -A shopsite worker --queues=orders -c 4

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: every-queue-consumed (valid)
# file: orders/tasks.py
from celery import shared_task


@shared_task(queue="emails")
def send_receipt(order_id):
    return order_id

# file: Procfile
# worker: celery -A shopsite worker -Q celery,emails

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: no-worker-command (valid)
# note: without a worker command the queues consumed are unknown: silent.
# file: orders/tasks.py
from celery import shared_task


@shared_task(queue="emails")
def send_receipt(order_id):
    return order_id

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: worker-without-q-reads-task-queues (valid)
# file: celeryconfig.py
task_queues = {"celery": {}, "bulk": {}}
task_routes = {"worker.jobs.reindex": {"queue": "bulk"}}

# file: Procfile
# worker: celery -A worker.app worker

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: queues-from-the-environment (valid)
# note: $WORKER_QUEUES has no default: the queues are unknown.
# file: orders/tasks.py
from celery import shared_task


@shared_task(queue="emails")
def send_receipt(order_id):
    return order_id

# file: Procfile
# worker: celery -A shopsite worker -Q $WORKER_QUEUES

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: queues-from-a-shell-default (valid)
# file: orders/tasks.py
from celery import shared_task


@shared_task(queue="emails")
def send_receipt(order_id):
    return order_id

# file: Procfile
# worker: celery -A shopsite worker -Q ${WORKER_QUEUES:-celery,emails}

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: development-procfile-only (valid)
# note: Procfile.dev runs on a laptop: the production workers are unknown.
# file: orders/tasks.py
from celery import shared_task


@shared_task(queue="emails")
def send_receipt(order_id):
    return order_id

# file: Procfile.dev
# worker: celery -A shopsite worker -Q celery

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: rq-job-on-a-listened-queue (valid)
# file: shop/jobs.py
from django_rq import job


@job("high")
def import_feed(url):
    return url

# file: Procfile
# worker: python manage.py rqworker high default

# case: dramatiq-worker-without-q (valid)
# note: a Dramatiq worker without -Q consumes every declared queue.
# file: shop/actors.py
import dramatiq


@dramatiq.actor(queue_name="thumbnails")
def thumbnail(path):
    return path

# file: Procfile
# worker: dramatiq shop.actors -p 2
