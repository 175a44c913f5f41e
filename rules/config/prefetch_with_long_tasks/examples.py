# WL111 prefetch-with-long-tasks: its examples (format: workerlint/app/examples.py)

# case: multiplier-with-late-acks (invalid)
# file: shopsite/settings.py
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
#                                   ^ prefetch multiplier 4 (shopsite/settings.py:2) with `task_acks_late` on (shopsite/settings.py:1): each worker process reserves 4 messages at a time, so short tasks wait behind a long one; set `worker_prefetch_multiplier` to 1

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: default-multiplier-points-at-late-acks (invalid)
# note: the multiplier is set nowhere: the finding points at what makes prefetching costly.
# file: shopsite/settings.py
CELERY_TASK_ACKS_LATE = True
#                       ^^^^ Celery's default prefetch multiplier of 4 with `task_acks_late` on (shopsite/settings.py:1): each worker process reserves 4 messages at a time, so short tasks wait behind a long one; set `worker_prefetch_multiplier` to 1

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: multiplier-with-a-long-time-limit (invalid)
# file: shopsite/settings.py
CELERY_TASK_TIME_LIMIT = 600
CELERY_WORKER_PREFETCH_MULTIPLIER = 8
#                                   ^ prefetch multiplier 8 (shopsite/settings.py:2) with a hard time limit of 600 s (shopsite/settings.py:1): each worker process reserves 8 messages at a time, so short tasks wait behind a long one; set `worker_prefetch_multiplier` to 1

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: worker-time-limit-flag (invalid)
# file: shopsite/settings.py
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
#                                   ^ prefetch multiplier 4 (shopsite/settings.py:1) with `--time-limit 900` in `worker` (Procfile:2): each worker process reserves 4 messages at a time, so short tasks wait behind a long one; set `worker_prefetch_multiplier` to 1

# file: Procfile
# web: gunicorn shopsite.wsgi
# worker: celery -A shopsite worker --time-limit 900

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: celeryconfig-and-a-task-limit (invalid)
# file: celeryconfig.py
worker_prefetch_multiplier = 2
#                            ^ prefetch multiplier 2 (celeryconfig.py:1) with `time_limit=300` on `worker.app.resize` (worker/app.py:6): each worker process reserves 2 messages at a time, so short tasks wait behind a long one; set `worker_prefetch_multiplier` to 1

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

@app.task(time_limit=300)
def resize(path):
    return path

# case: conf-attribute-and-a-late-ack-task (invalid)
# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.conf.worker_prefetch_multiplier = 4
#                                     ^ prefetch multiplier 4 (worker/app.py:4) with `acks_late=True` on `worker.app.resize` (worker/app.py:7): each worker process reserves 4 messages at a time, so short tasks wait behind a long one; set `worker_prefetch_multiplier` to 1


@app.task(acks_late=True)
def resize(path):
    return path

# case: multiplier-from-an-environment-default (invalid)
# file: shopsite/settings.py
import os

CELERY_TASK_TIME_LIMIT = 300
CELERY_WORKER_PREFETCH_MULTIPLIER = int(os.environ.get("PREFETCH", 4))
#                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ prefetch multiplier 4 (shopsite/settings.py:4, default of PREFETCH) with a hard time limit of 300 s (shopsite/settings.py:3): each worker process reserves 4 messages at a time, so short tasks wait behind a long one; set `worker_prefetch_multiplier` to 1

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: default-multiplier-points-at-the-limit (invalid)
# file: shopsite/settings.py
CELERY_TASK_TIME_LIMIT = 120
#                        ^^^ Celery's default prefetch multiplier of 4 with a hard time limit of 120 s (shopsite/settings.py:1): each worker process reserves 4 messages at a time, so short tasks wait behind a long one; set `worker_prefetch_multiplier` to 1

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: multiplier-one (valid)
# file: shopsite/settings.py
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: short-tasks-only (valid)
# note: no late acks and no long limit: prefetching is what makes short tasks fast.
# file: shopsite/settings.py
CELERY_WORKER_PREFETCH_MULTIPLIER = 4

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: short-time-limit (valid)
# file: shopsite/settings.py
CELERY_TASK_TIME_LIMIT = 30
CELERY_WORKER_PREFETCH_MULTIPLIER = 4

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: multiplier-unknown (valid)
# file: shopsite/settings.py
import os

CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = int(os.environ["PREFETCH"])

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: late-acks-under-a-condition (valid)
# file: shopsite/settings.py
import os

if os.environ.get("LATE"):
    CELERY_TASK_ACKS_LATE = True

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: every-worker-prefetches-one (valid)
# file: shopsite/settings.py
CELERY_TASK_ACKS_LATE = True

# file: Procfile
# worker: celery -A shopsite worker --prefetch-multiplier=1

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: late-acks-off (valid)
# file: shopsite/settings.py
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 4

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: no-celery-app (valid)
# file: shopsite/settings.py
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
