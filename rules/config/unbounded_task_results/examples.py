# WL114 unbounded-task-results: its examples (format: workerlint/app/examples.py)

# case: result-expires-none (invalid)
# file: shopsite/settings.py
CELERY_RESULT_BACKEND = "redis://redis:6379/1"
CELERY_RESULT_EXPIRES = None
#                       ^^^^ `result_expires` is None: task results in the backend (redis://redis:6379/1 (shopsite/settings.py:1)) never expire and grow without bound

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: result-expires-zero (invalid)
# file: celeryconfig.py
result_backend = "redis://localhost:6379/2"
result_expires = 0
#                ^ `result_expires` is 0: task results in the backend (redis://localhost:6379/2 (celeryconfig.py:1)) never expire and grow without bound

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: django-db-without-beat (invalid)
# file: shopsite/settings.py
CELERY_RESULT_BACKEND = "django-db"
#                       ^^^^^^^^^^^ result backend `django-db` keeps every task result until `celery.backend_cleanup` deletes it, and only celery beat runs that task: no beat process is started (no `celery beat` or `worker -B` among the worker commands), so results grow without bound

# file: Procfile
# web: gunicorn shopsite.wsgi
# worker: celery -A shopsite worker -l info

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: sqlalchemy-backend-without-beat (invalid)
# file: celeryconfig.py
result_backend = "db+postgresql://celery@db/results"
#                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ result backend `db+postgresql://celery@db/results` keeps every task result until `celery.backend_cleanup` deletes it, and only celery beat runs that task: no beat process is started (no `celery beat` or `worker -B` among the worker commands), so results grow without bound

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# file: docker-compose.yml
# services:
#   worker:
#     image: worker
#     command: celery -A worker.app worker -c 4

# case: backend-given-to-the-app (invalid)
# file: worker/app.py
from celery import Celery

app = Celery("worker", broker="redis://localhost:6379/0", backend="file:///var/results")
#                                                                 ^^^^^^^^^^^^^^^^^^^^^ result backend `file:///var/results` keeps every task result until `celery.backend_cleanup` deletes it, and only celery beat runs that task: no beat process is started (no `celery beat` or `worker -B` among the worker commands), so results grow without bound

# file: Procfile
# worker: celery -A worker.app worker

# case: expires-from-an-environment-default (invalid)
# file: shopsite/settings.py
import os

CELERY_RESULT_BACKEND = "redis://redis:6379/1"
CELERY_RESULT_EXPIRES = int(os.environ.get("RESULT_TTL", 0))
#                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `result_expires` is 0: task results in the backend (redis://redis:6379/1 (shopsite/settings.py:3)) never expire and grow without bound

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: django-db-with-a-systemd-worker-only (invalid)
# file: shopsite/settings.py
CELERY_RESULT_BACKEND = "django-db"
#                       ^^^^^^^^^^^ result backend `django-db` keeps every task result until `celery.backend_cleanup` deletes it, and only celery beat runs that task: no beat process is started (no `celery beat` or `worker -B` among the worker commands), so results grow without bound

# file: deploy/shopsite-worker.service
# [Service]
# ExecStart=/srv/venv/bin/celery -A shopsite worker --concurrency 4

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: conf-update-without-expiry (invalid)
# file: worker/app.py
from celery import Celery

app = Celery("worker", backend="redis://localhost:6379/3")
app.conf.update(result_expires=None)
#                              ^^^^ `result_expires` is None: task results in the backend (redis://localhost:6379/3 (worker/app.py:3)) never expire and grow without bound

# case: redis-backend-with-the-default-expiry (valid)
# note: results expire after one day by default (Redis keys carry a TTL).
# file: shopsite/settings.py
CELERY_RESULT_BACKEND = "redis://redis:6379/1"

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: django-db-with-beat (valid)
# file: shopsite/settings.py
CELERY_RESULT_BACKEND = "django-db"

# file: Procfile
# worker: celery -A shopsite worker
# beat: celery -A shopsite beat -l info

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: worker-embeds-beat (valid)
# file: shopsite/settings.py
CELERY_RESULT_BACKEND = "django-db"

# file: Procfile
# worker: celery -A shopsite worker -B

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: no-worker-command-found (valid)
# note: beat may run on another host: silent without any worker command.
# file: shopsite/settings.py
CELERY_RESULT_BACKEND = "django-db"

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: no-result-backend (valid)
# file: shopsite/settings.py
CELERY_RESULT_EXPIRES = None

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: results-ignored (valid)
# file: shopsite/settings.py
CELERY_RESULT_BACKEND = "redis://redis:6379/1"
CELERY_RESULT_EXPIRES = None
CELERY_TASK_IGNORE_RESULT = True

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: explicit-expiry (valid)
# file: celeryconfig.py
result_backend = "redis://localhost:6379/2"
result_expires = 3600

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: backend-unknown (valid)
# file: shopsite/settings.py
import os

CELERY_RESULT_BACKEND = os.environ["RESULT_BACKEND"]
CELERY_RESULT_EXPIRES = None

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
