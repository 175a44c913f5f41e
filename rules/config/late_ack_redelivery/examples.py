# WL110 late-ack-redelivery: its examples (format: workerlint/app/examples.py)

# case: django-settings-acks-late-without-limit (invalid)
# note: the Redis transport redelivers after 3600 s by default; nothing stops a task sooner.
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_TASK_ACKS_LATE = True
#                       ^^^^ `task_acks_late` is on (shopsite/settings.py:2) with the Redis broker's visibility timeout of 3600 s (the redis transport's default) and no hard time limit: a task still running after 3600 s is delivered again and runs twice (`orders.tasks.export_orders`)

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day

# case: hard-limit-above-the-visibility-timeout (invalid)
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_TASK_ACKS_LATE = True
#                       ^^^^ `task_acks_late` is on (shopsite/settings.py:2) with the Redis broker's visibility timeout of 3600 s (the redis transport's default) and a hard time limit of 7200 s: a task still running after 3600 s is delivered again and runs twice (2 tasks, e.g. `orders.tasks.export_orders`)
CELERY_TASK_TIME_LIMIT = 2 * 60 * 60

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day


@shared_task
def sync_stock(sku):
    return sku

# case: celeryconfig-with-a-short-visibility-timeout (invalid)
# file: celeryconfig.py
broker_url = "redis://localhost:6379/1"
broker_transport_options = {"visibility_timeout": 600}
task_acks_late = True
#                ^^^^ `task_acks_late` is on (celeryconfig.py:3) with the Redis broker's visibility timeout of 600 s (celeryconfig.py:2) and a hard time limit of 900 s: a task still running after 600 s is delivered again and runs twice (`worker.jobs.resize`)
task_time_limit = 900

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# file: worker/jobs.py
from worker.app import app


@app.task
def resize(path):
    return path

# case: task-option-acks-late (invalid)
# note: the task's own option: the finding is in the tasks module.
# file: orders/tasks.py
from celery import shared_task


@shared_task(acks_late=True)
#                      ^^^^ `acks_late=True` on task `orders.tasks.rebuild_index` with the Redis broker's visibility timeout of 3600 s (the redis transport's default) and no hard time limit: a task still running after 3600 s is delivered again and runs twice
def rebuild_index():
    return None

# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: task-option-with-its-own-long-limit (invalid)
# file: orders/tasks.py
from celery import shared_task


@shared_task(acks_late=True, time_limit=4000)
#                      ^^^^ `acks_late=True` on task `orders.tasks.rebuild_index` with the Redis broker's visibility timeout of 3600 s (the redis transport's default) and a hard time limit of 4000 s of its own: a task still running after 3600 s is delivered again and runs twice
def rebuild_index():
    return None

# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_TASK_TIME_LIMIT = 600

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: sqs-default-visibility-timeout (invalid)
# note: SQS's default visibility timeout is 1800 s.
# file: shopsite/settings.py
CELERY_BROKER_URL = "sqs://"
CELERY_TASK_ACKS_LATE = True
#                       ^^^^ `task_acks_late` is on (shopsite/settings.py:2) with the SQS broker's visibility timeout of 1800 s (the sqs transport's default) and a hard time limit of 3600 s: a task still running after 1800 s is delivered again and runs twice (`orders.tasks.export_orders`)
CELERY_TASK_TIME_LIMIT = 3600

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day

# case: broker-from-an-environment-default (invalid)
# note: a template default is enough to know the broker (PYTHON.md §9, known values).
# file: shopsite/settings.py
import os

CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
CELERY_TASK_ACKS_LATE = True
#                       ^^^^ `task_acks_late` is on (shopsite/settings.py:4) with the Redis broker's visibility timeout of 3600 s (the redis transport's default) and no hard time limit: a task still running after 3600 s is delivered again and runs twice (`orders.tasks.export_orders`)

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day

# case: conf-update-in-the-app-module (invalid)
# file: worker/app.py
from celery import Celery

app = Celery("worker", broker="redis://localhost:6379/0")
app.conf.update(task_acks_late=True)
#                              ^^^^ `task_acks_late` is on (worker/app.py:4) with the Redis broker's visibility timeout of 3600 s (the redis transport's default) and no hard time limit: a task still running after 3600 s is delivered again and runs twice (`worker.app.resize`)


@app.task
def resize(path):
    return path

# case: hard-limit-below-the-visibility-timeout (valid)
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 1800

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day

# case: rabbitmq-broker (valid)
# note: RabbitMQ has no visibility timeout (its consumer_timeout is not modelled).
# file: shopsite/settings.py
CELERY_BROKER_URL = "amqp://guest@rabbitmq//"
CELERY_TASK_ACKS_LATE = True

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day

# case: broker-unknown (valid)
# note: an environment variable without a default: the broker is unknown, so nothing is said.
# file: shopsite/settings.py
import os

CELERY_BROKER_URL = os.environ["BROKER_URL"]
CELERY_TASK_ACKS_LATE = True

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day

# case: acks-late-off-by-default (valid)
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day

# case: every-task-limits-itself (valid)
# file: orders/tasks.py
from celery import shared_task


@shared_task(time_limit=600)
def export_orders(day):
    return day


@shared_task(acks_late=False)
def sync_stock(sku):
    return sku

# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_TASK_ACKS_LATE = True

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: worker-commands-set-the-time-limit (valid)
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_TASK_ACKS_LATE = True

# file: Procfile
# web: gunicorn shopsite.wsgi
# worker: celery -A shopsite worker -c 4 --time-limit=1800

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day

# case: custom-transport-class (valid)
# note: a custom transport may redeliver otherwise (Saleor's SQS transport): silent.
# file: shopsite/settings.py
CELERY_BROKER_URL = "sqs://"
CELERY_BROKER_TRANSPORT = "shopsite.transport.SQSTransport"
CELERY_TASK_ACKS_LATE = True

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day

# case: visibility-timeout-raised-above-the-limit (valid)
# file: celeryconfig.py
broker_url = "redis://localhost:6379/1"
broker_transport_options = {"visibility_timeout": 43200}
task_acks_late = True
task_time_limit = 7200

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")


@app.task
def resize(path):
    return path

# case: acks-late-set-under-a-condition (valid)
# note: assigned only in one branch: its value is unknown, so nothing is said.
# file: shopsite/settings.py
import os

CELERY_BROKER_URL = "redis://redis:6379/0"
if os.environ.get("LATE_ACKS"):
    CELERY_TASK_ACKS_LATE = True

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from celery import shared_task


@shared_task
def export_orders(day):
    return day
