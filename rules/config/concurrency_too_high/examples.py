# WL103 concurrency-too-high, Celery: its examples (format: workerlint/app/examples.py)

# case: prefork-concurrency-in-django-settings (invalid)
# file: shopsite/settings.py
CELERY_WORKER_CONCURRENCY = 64
#                           ^^ The Celery worker runs 64 prefork child processes (shopsite/settings.py:1), above max-concurrency 50: each holds a copy of the application in memory and its own database and broker connections; run more worker processes instead

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: threads-pool-in-celeryconfig (invalid)
# file: celeryconfig.py
worker_pool = "threads"
worker_concurrency = 200
#                    ^^^ The Celery worker runs 200 threads (celeryconfig.py:2), above max-concurrency 50: they contend for the GIL and each holds its own connections; run more worker processes instead

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: gevent-pool-is-silent (valid)
# file: celeryconfig.py
worker_pool = "gevent"
worker_concurrency = 500

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: below-the-limit (valid)
# file: shopsite/settings.py
CELERY_WORKER_CONCURRENCY = 16

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: limit-raised-by-option (valid)
# options: { max-concurrency = 100 }
# file: shopsite/settings.py
CELERY_WORKER_CONCURRENCY = 64

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
