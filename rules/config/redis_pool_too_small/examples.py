# WL101 redis-pool-too-small, Celery: its examples (format: workerlint/app/examples.py)

# case: result-backend-pool-below-threads (invalid)
# file: celeryconfig.py
broker_url = "redis://localhost:6379/0"
result_backend = "redis://localhost:6379/1"
redis_max_connections = 10
#                       ^^ `redis_max_connections` of 10 (celeryconfig.py:3) is below the threads pool's concurrency 20 (celeryconfig.py:5): tasks waiting on the result backend at once fail with redis-py's ConnectionError: Too many connections
worker_pool = "threads"
worker_concurrency = 20

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: broker-max-connections-below-gevent (invalid)
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_connections": 20}
#                                                     ^^ `broker_transport_options["max_connections"]` of 20 (shopsite/settings.py:2) is below the gevent pool's concurrency 100 in `worker` (Procfile:1): tasks publishing at once fail with redis-py's ConnectionError: Too many connections

# file: Procfile
# worker: celery -A shopsite worker -P gevent -c 100

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: broker-pool-limit-below-threads (invalid)
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_BROKER_POOL_LIMIT = 4
#                          ^ `broker_pool_limit` of 4 (shopsite/settings.py:2) is below the threads pool's concurrency 8 (shopsite/settings.py:4): tasks that send tasks wait for a free broker connection
CELERY_WORKER_POOL = "threads"
CELERY_WORKER_CONCURRENCY = 8

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: prefork-is-silent (valid)
# note: each prefork child has its own pools.
# file: celeryconfig.py
result_backend = "redis://localhost:6379/1"
redis_max_connections = 2
worker_concurrency = 20

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: unlimited-by-default (valid)
# file: celeryconfig.py
result_backend = "redis://localhost:6379/1"
worker_pool = "threads"
worker_concurrency = 20

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")
