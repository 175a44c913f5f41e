# WL109 queue-starvation, Celery: its examples (format: workerlint/app/examples.py)

# case: priority-order-over-three-queues (invalid)
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_BROKER_TRANSPORT_OPTIONS = {"queue_order_strategy": "priority"}
#                                                          ^^^^^^^^^^ `queue_order_strategy="priority"` makes `worker` (Procfile:1) take `high`, `default`, `low` in strict order: while `high` has tasks, `default`, `low` wait

# file: Procfile
# worker: celery -A shopsite worker -Q high,default,low

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: round-robin-by-default (valid)
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"

# file: Procfile
# worker: celery -A shopsite worker -Q high,default,low

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: priority-over-two-queues (valid)
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_BROKER_TRANSPORT_OPTIONS = {"queue_order_strategy": "priority"}

# file: Procfile
# worker: celery -A shopsite worker -Q high,default

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
