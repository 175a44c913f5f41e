# WL106 invalid-config-value, Celery: its examples (format: workerlint/app/examples.py)

# case: old-name-mixed-into-new-names (invalid)
# note: without a namespace Celery detects the style by majority and refuses the minority.
# file: celeryconfig.py
broker_url = "redis://localhost:6379/0"
task_acks_late = True
CELERYD_PREFETCH_MULTIPLIER = 1
#^^^^^^^^^^^^^^^^^^^^^^^^^^ `CELERYD_PREFETCH_MULTIPLIER` mixes an old Celery setting name into new-style settings: Celery refuses to start (ImproperlyConfigured: Cannot mix new and old setting keys); use `worker_prefetch_multiplier`

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: both-names-of-one-setting-are-accepted (valid)
# note: Celery accepts the minority key when the other name of that setting is given too.
# file: celeryconfig.py
broker_url = "redis://localhost:6379/0"
task_acks_late = True
worker_prefetch_multiplier = 1
CELERYD_PREFETCH_MULTIPLIER = 1

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: old-names-only (valid)
# file: celeryconfig.py
BROKER_URL = "redis://localhost:6379/0"
CELERY_ACKS_LATE = True

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: negative-concurrency-in-django-settings (invalid)
# file: shopsite/settings.py
import os

CELERY_WORKER_CONCURRENCY = int(os.environ.get("WORKERS", -1))
#                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ worker concurrency -1 (shopsite/settings.py:3, default of WORKERS) is negative: the worker does not start (billiard's pool raises `ValueError: Number of processes must be at least 0`)

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: soft-limit-above-hard-limit (invalid)
# file: shopsite/settings.py
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
#                             ^^^^^^ soft time limit 300 (shopsite/settings.py:2) is not below the hard limit 300 (shopsite/settings.py:1): the task is killed before SoftTimeLimitExceeded can let it clean up

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: soft-limit-below-hard-limit (valid)
# file: shopsite/settings.py
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: task-soft-limit-above-its-hard-limit (invalid)
# note: a task's own options override the settings; the hard limit kills it first.
# file: catalog/tasks.py
from celery import shared_task


@shared_task(soft_time_limit=900, time_limit=600)
#                            ^^^ the task `catalog.tasks.rebuild_feed` has soft time limit 900 (catalog/tasks.py:4), not below its hard limit 600 (catalog/tasks.py:4): the task is killed before SoftTimeLimitExceeded can let it clean up
def rebuild_feed():
    pass

# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: task-hard-limit-below-the-soft-setting (invalid)
# file: catalog/tasks.py
from celery import shared_task


@shared_task(time_limit=120)
#                       ^^^ the task `catalog.tasks.ping_suppliers` has soft time limit 300 (shopsite/settings.py:1), not below its hard limit 120 (catalog/tasks.py:4): the task is killed before SoftTimeLimitExceeded can let it clean up
def ping_suppliers():
    pass

# file: shopsite/settings.py
CELERY_TASK_SOFT_TIME_LIMIT = 300

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: task-limits-in-order (valid)
# file: catalog/tasks.py
from celery import shared_task


@shared_task(soft_time_limit=600, time_limit=660)
def rebuild_feed():
    pass


@shared_task(time_limit=900)
def ping_suppliers():
    pass

# file: shopsite/settings.py
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: pickle-serializer-not-accepted (invalid)
# note: accept_content defaults to json only: a pickled message is refused by the worker.
# file: celeryconfig.py
task_serializer = "pickle"
#                 ^^^^^^^^ `task_serializer="pickle"` but accept_content is {json}: workers reject every task message (ContentDisallowed) and the tasks never run

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: pickle-serializer-accepted (valid)
# file: celeryconfig.py
task_serializer = "pickle"
accept_content = ["json", "pickle"]

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: unknown-concurrency-from-the-environment (valid)
# note: no default: the value is unknown, so nothing is reported.
# file: shopsite/settings.py
import os

CELERY_WORKER_CONCURRENCY = int(os.environ["WORKERS"])

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: zero-concurrency-means-one-per-cpu (valid)
# note: Celery treats 0 as unset and starts one pool process per CPU.
# file: shopsite/settings.py
CELERY_WORKER_CONCURRENCY = 0

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
