# WL104 unknown-config-key, Celery: its examples (format: workerlint/app/examples.py)

# case: misspelt-concurrency-in-django-settings (invalid)
# file: shopsite/settings.py
CELERY_WORKER_CONCURENCY = 4
#^^^^^^^^^^^^^^^^^^^^^^^ `CELERY_WORKER_CONCURENCY` is not a Celery setting: Celery ignores it silently; did you mean `CELERY_WORKER_CONCURRENCY`?

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: concurrency-without-its-namespace-word (invalid)
# note: CELERY_CONCURRENCY is neither a new name (worker_concurrency) nor an old one (CELERYD_CONCURRENCY).
# file: shopsite/settings.py
CELERY_CONCURRENCY = 4
#^^^^^^^^^^^^^^^^^ `CELERY_CONCURRENCY` is not a Celery setting: Celery ignores it silently

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: misspelt-name-in-celeryconfig (invalid)
# file: celeryconfig.py
broker_url = "redis://localhost:6379/0"
task_acks_lates = True
#^^^^^^^^^^^^^^ `task_acks_lates` is not a Celery setting: Celery ignores it silently; did you mean `task_acks_late`?

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: misspelt-key-in-conf-update (invalid)
# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.conf.update(worker_prefetch_multiplyer=1)
#                                          ^ `worker_prefetch_multiplyer` is not a Celery setting: Celery ignores it silently; did you mean `worker_prefetch_multiplier`?

# case: unknown-conf-attribute (invalid)
# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.conf.result_expire = 3600
#^^^^^^^^^^^^^^^^^^^^^ `result_expire` is not a Celery setting: Celery ignores it silently; did you mean `result_expires`?

# case: beat-schedule-misspelt (invalid)
# file: shopsite/settings.py
CELERY_BEAT_SCHEDULES = {}
#^^^^^^^^^^^^^^^^^^^^ `CELERY_BEAT_SCHEDULES` is not a Celery setting: Celery ignores it silently; did you mean `CELERY_BEAT_SCHEDULE`?

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: time-limit-misspelt-in-split-settings (invalid)
# note: the settings module imports its base with `*`: keys of the base count, and point there.
# file: shopsite/settings.py
CELERY_TASK_TIMELIMIT = 600
#^^^^^^^^^^^^^^^^^^^^ `CELERY_TASK_TIMELIMIT` is not a Celery setting: Celery ignores it silently; did you mean `CELERY_TASK_TIME_LIMIT`?

# file: shopsite/production.py
from shopsite.settings import *  # noqa: F403

DEBUG = False

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.production")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: unknown-upper-case-celery-key-in-celeryconfig (invalid)
# file: celeryconfig.py
CELERY_RESULT_EXPIRY = 3600
#^^^^^^^^^^^^^^^^^^^ `CELERY_RESULT_EXPIRY` is not a Celery setting: Celery ignores it silently

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: real-settings (valid)
# file: shopsite/settings.py
CELERY_WORKER_CONCURRENCY = 4
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULE = {}

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: key-the-project-reads-itself (valid)
# note: the project reads it (settings.CELERY_TASK_PRIORITY_DEFAULT): it is the project's own.
# file: shopsite/settings.py
CELERY_TASK_PRIORITY_DEFAULT = 5

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# file: orders/tasks.py
from django.conf import settings


def priority():
    return settings.CELERY_TASK_PRIORITY_DEFAULT

# case: add-on-keys (valid)
# file: shopsite/settings.py
CELERY_REDBEAT_REDIS_URL = "redis://redis:6379/2"
CELERY_ONCE = {"backend": "celery_once.backends.Redis"}

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: old-name-is-another-rule (valid)
# note: CELERYD_CONCURRENCY is an old name: WL105 reports it.
# file: shopsite/settings.py
CELERYD_CONCURRENCY = 4

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: helper-names-in-celeryconfig (valid)
# note: without a namespace Celery reads only its settings; upper-case helpers are not meant for it.
# file: celeryconfig.py
REDIS_HOST = "localhost"
broker_url = f"redis://{REDIS_HOST}:6379/0"

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: other-django-settings (valid)
# file: shopsite/settings.py
DEBUG = False
ALLOWED_HOSTS = ["shop.example"]

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: no-celery-app (valid)
# file: shopsite/settings.py
CELERY_WORKER_CONCURENCY = 4

# case: key-set-under-a-condition (valid)
# note: conditional settings are left alone (they may be read by another branch of the project).
# file: shopsite/settings.py
import os

if os.environ.get("CELERY_EXTRA"):
    CELERY_EXTRA_OPTIONS = {"a": 1}

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
