# case: shared-task-posting-without-timeout (invalid)
# note: Celery sets no time limit by default and requests no timeout.
import requests
from celery import shared_task


@shared_task(bind=True, max_retries=3)
#^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ the task `shop.tasks.deliver_webhook` has no time limit (no `time_limit` option, no `task_time_limit` setting, no `--time-limit`) and `requests.post` on line 7 has no timeout: when that server hangs, the worker process running the task hangs with it for good; a hard time limit would kill it and free the slot
def deliver_webhook(self, url, payload):
    requests.post(url, json=payload)

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: app-task-with-a-session (invalid)
import requests

from shop.celery import app


@app.task
#^^^^^^^^ the task `shop.tasks.sync_rates` has no time limit (no `time_limit` option, no `task_time_limit` setting, no `--time-limit`) and `session.get` on line 9 has no timeout: when that server hangs, the worker process running the task hangs with it for good; a hard time limit would kill it and free the slot
def sync_rates(url):
    session = requests.Session()
    return session.get(url).json()

# file: shop/celery.py
from celery import Celery

app = Celery("shop", broker="redis://localhost:6379/0")

# case: soft-limit-only (invalid)
# note: a soft limit raises an exception the task may catch; only a hard limit counts.
from urllib.request import urlopen

from celery import shared_task


@shared_task(soft_time_limit=30)
#^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ the task `shop.tasks.fetch_feed` has no time limit (no `time_limit` option, no `task_time_limit` setting, no `--time-limit`) and `urlopen` on line 8 has no timeout: when that server hangs, the worker process running the task hangs with it for good; a hard time limit would kill it and free the slot
def fetch_feed(url):
    return urlopen(url).read()

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: time-limit-none (invalid)
import requests
from celery import shared_task


@shared_task(time_limit=None)
#^^^^^^^^^^^^^^^^^^^^^^^^^^^^ the task `shop.tasks.ping` has no time limit (no `time_limit` option, no `task_time_limit` setting, no `--time-limit`) and `requests.head` on line 7 has no timeout: when that server hangs, the worker process running the task hangs with it for good; a hard time limit would kill it and free the slot
def ping(url):
    requests.head(url)

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: class-task (invalid)
import requests
from celery import Task


class SyncCatalog(Task):
#     ^^^^^^^^^^^ the task `shop.tasks.SyncCatalog` has no time limit (no `time_limit` option, no `task_time_limit` setting, no `--time-limit`) and `requests.get` on line 7 has no timeout: when that server hangs, the worker process running the task hangs with it for good; a hard time limit would kill it and free the slot
    def run(self, url):
        return requests.get(url).json()

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: django-settings-without-a-limit (invalid)
import requests
from celery import shared_task


@shared_task
#^^^^^^^^^^^ the task `shop.tasks.notify` has no time limit (no `time_limit` option, no `task_time_limit` setting, no `--time-limit`) and `requests.post` on line 7 has no timeout: when that server hangs, the worker process running the task hangs with it for good; a hard time limit would kill it and free the slot
def notify(url):
    requests.post(url, data={"ok": True})

# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://localhost:6379/0"
CELERY_TASK_SOFT_TIME_LIMIT = 60
# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: smtp-send-without-timeout (invalid)
import smtplib

from celery import shared_task


@shared_task
#^^^^^^^^^^^ the task `shop.tasks.send_digest` has no time limit (no `time_limit` option, no `task_time_limit` setting, no `--time-limit`) and `server.sendmail` on line 9 has no timeout: when that server hangs, the worker process running the task hangs with it for good; a hard time limit would kill it and free the slot
def send_digest(sender, recipients, body):
    server = smtplib.SMTP("mail.internal")
    server.sendmail(sender, recipients, body)

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: worker-without-time-limit-flag (invalid)
import requests
from celery import shared_task


@shared_task
#^^^^^^^^^^^ the task `shop.tasks.notify` has no time limit (no `time_limit` option, no `task_time_limit` setting, no `--time-limit`) and `requests.post` on line 7 has no timeout: when that server hangs, the worker process running the task hangs with it for good; a hard time limit would kill it and free the slot
def notify(url):
    requests.post(url)

# file: Procfile
# worker: celery -A shop worker -c 4 --soft-time-limit 60
# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: per-task-time-limit (valid)
import requests
from celery import shared_task


@shared_task(time_limit=120)
def deliver_webhook(url, payload):
    requests.post(url, json=payload)

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: global-time-limit-in-settings (valid)
import requests
from celery import shared_task


@shared_task
def notify(url):
    requests.post(url)

# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://localhost:6379/0"
CELERY_TASK_TIME_LIMIT = 300
# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: worker-command-time-limit (valid)
import requests
from celery import shared_task


@shared_task
def notify(url):
    requests.post(url)

# file: Procfile
# worker: celery -A shop worker -c 4 --time-limit 300
# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: request-with-timeout (valid)
# note: the request is bounded: no finding, whatever the limits.
import requests
from celery import shared_task


@shared_task
def notify(url):
    requests.post(url, timeout=10)

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: no-request (valid)
from celery import shared_task


@shared_task
def recount(shop_id):
    return shop_id

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: httpx-default-timeout (valid)
# note: httpx times out after 5 s by default: WL201 does not report it, so neither does this rule.
import httpx
from celery import shared_task


@shared_task
def notify(url):
    httpx.post(url, json={})

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: task-annotations-may-set-a-limit (valid)
# note: task_annotations may give tasks a time limit: nothing is reported (`--verbose` says so).
import requests
from celery import shared_task


@shared_task
def notify(url):
    requests.post(url)

# file: shop/celery.py
from celery import Celery

app = Celery("shop")
app.conf.task_annotations = {"shop.tasks.*": {"time_limit": 60}}

# case: no-celery-app-found (valid)
# note: without a Celery app the settings that could set a limit are not known.
import requests
from celery import shared_task


@shared_task
def notify(url):
    requests.post(url)

# case: rq-job-has-a-default-timeout (valid)
# note: RQ jobs time out after 180 s by default; the rule is about Celery.
import requests
from django_rq import job


@job("default")
def notify(url):
    requests.post(url)
