# case: import-string-of-an-argument (invalid)
from celery import shared_task
from django.utils.module_loading import import_string


@shared_task
def export(exporter, record_id):
    import_string(exporter)(record_id).run()
  # ^^^^^^^^^^^^^^^^^^^^^^^ task argument `exporter` reaches a module or class name without validation; no enqueue site of `export` in the project shows where it comes from: `export(exporter)` -> `import_string`; check it against an allow-list (`if exporter not in ALLOWED: raise ...`) or look it up in a literal dict

# case: allow-listed-before-the-sink (valid)
# note: an early `raise` on `not in` a literal allow-list validates the argument on every path.
from celery import shared_task
from django.utils.module_loading import import_string

EXPORTERS = {"shop.exports.Csv", "shop.exports.Pdf"}


@shared_task
def export(exporter, record_id):
    if exporter not in EXPORTERS:
        raise ValueError(exporter)
    import_string(exporter)(record_id).run()

# case: literal-dict-lookup (valid)
# note: a lookup in a literal dict gives the dict's value, not the argument.
from celery import shared_task

from shop.exports import CsvExporter, PdfExporter

EXPORTERS = {"csv": CsvExporter, "pdf": PdfExporter}


@shared_task
def export(kind, record_id):
    EXPORTERS[kind](record_id).run()

# case: shell-through-a-helper (invalid)
import os
import subprocess

from celery import shared_task


def convert(path, size):
    os.system(f"convert {path} -resize {size} out.png")
    #  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ task argument `path` reaches a shell command without validation; no enqueue site of `thumbnail` in the project shows where it comes from: `thumbnail(path)` -> `convert(path)` -> `os.system`; check it against an allow-list, and pass the command as a list without a shell (`subprocess.run(["cmd", arg])`)
    subprocess.run(f"convert {path}", shell=True, check=True)
    #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ task argument `path` reaches a shell command without validation; no enqueue site of `thumbnail` in the project shows where it comes from: `thumbnail(path)` -> `convert(path)` -> `subprocess.run`; check it against an allow-list, and pass the command as a list without a shell (`subprocess.run(["cmd", arg])`)


@shared_task
def thumbnail(path, size):
    convert(path, size=size)

# case: argv-list-without-shell (valid)
# note: without a shell only the program runs what it is given: an argument later in the
# note: list is data.
import subprocess

from celery import shared_task


@shared_task
def thumbnail(path):
    subprocess.run(["convert", path, "out.png"], check=True)

# case: int-and-match-validate (valid)
import subprocess

from celery import shared_task


@shared_task
def resize(width, mode):
    width = int(width)
    match mode:
        case "fit" | "fill":
            subprocess.run(f"convert -resize {width} -{mode} in.png out.png", shell=True)

# case: unsafe-deserialization-and-sql (invalid)
import pickle

import yaml
from celery import shared_task
from django.db import connection


@shared_task
def replay(blob, config, table):
    state = pickle.loads(blob)
    #              ^^^^^^^^^^^ task argument `blob` reaches unsafe deserialization without validation; no enqueue site of `replay` in the project shows where it comes from: `replay(blob)` -> `pickle.loads`; parse it as JSON (`json.loads`) instead of loading objects from it
    options = yaml.load(config, Loader=yaml.Loader)
    #              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ task argument `config` reaches unsafe deserialization without validation; no enqueue site of `replay` in the project shows where it comes from: `replay(config)` -> `yaml.load`; parse it as JSON (`json.loads`) instead of loading objects from it
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM %s WHERE stale" % table)
        #      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ task argument `table` reaches SQL text without validation; no enqueue site of `replay` in the project shows where it comes from: `replay(table)` -> `cursor.execute`; pass it as a query parameter (`cursor.execute(sql, [value])`, `filter(name=value)`)
    return state, options

# case: safe-yaml-and-bound-sql (valid)
import yaml
from celery import shared_task
from django.db import connection


@shared_task
def replay(config, name):
    options = yaml.load(config, Loader=yaml.SafeLoader)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM events WHERE name = %s", [name])
    return options

# case: getattr-and-file-path (invalid)
import shutil

from celery import shared_task

from shop.models import Order


@shared_task(bind=True)
def act(self, order_id, action, folder):
    order = Order.objects.get(pk=order_id)
    getattr(order, action)()
  # ^^^^^^^^^^^^^^^^^^^^^^ task argument `action` reaches an attribute name without validation; no enqueue site of `act` in the project shows where it comes from: `act(action)` -> `getattr`; check it against an allow-list (`if action not in ALLOWED: raise ...`) or `match` on literal names
    shutil.rmtree(f"/srv/exports/{folder}")
    #      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ task argument `folder` reaches a file path without validation; no enqueue site of `act` in the project shows where it comes from: `act(folder)` -> `shutil.rmtree`; check it against an allow-list or a full-match pattern (`re.fullmatch(r"[\w-]+", name)`) before building the path

# case: iterated-argument-taints-its-elements (invalid)
from celery import shared_task
from django.apps import apps


@shared_task
def purge(labels):
    for label in labels:
        apps.get_model(label).objects.all().delete()
        #    ^^^^^^^^^^^^^^^^ task argument `labels` reaches a module or class name without validation; no enqueue site of `purge` in the project shows where it comes from: `purge(labels)` -> `apps.get_model`; check it against an allow-list (`if label not in ALLOWED: raise ...`) or look it up in a literal dict

# case: all-members-allowed (valid)
from celery import shared_task
from django.apps import apps

ALLOWED = ("shop.Cart", "shop.Session")


@shared_task
def purge(labels):
    if not all(label in ALLOWED for label in labels):
        return
    for label in labels:
        apps.get_model(label).objects.all().delete()

# case: request-fed-import-string (invalid)
# file: shop/tasks.py
from celery import shared_task
from django.utils.module_loading import import_string


@shared_task
def export(kind):
    import_string(kind)().run()
  # ^^^^^^^^^^^^^^^^^^^ task argument `kind` reaches a module or class name without validation; it comes from the request: `request.GET["kind"]` in shop/views.py:7 -> `export.delay` -> `export(kind)` -> `import_string`; check it against an allow-list (`if kind not in ALLOWED: raise ...`) or look it up in a literal dict
# file: shop/views.py
from django.http import HttpResponse

from shop.tasks import export


def start_export(request):
    export.delay(request.GET["kind"])
    return HttpResponse(status=202)

# case: internal-provenance-is-a-note (invalid)
# file: shop/tasks.py
from celery import shared_task
from django.utils.module_loading import import_string


@shared_task
def export(kind):
    import_string(kind)().run()
  # ^^^^^^^^^^^^^^^^^^^ task argument `kind` reaches a module or class name without validation; the app passes only internal values: `"shop.exports.Invoice"` in shop/signals.py:5 -> `export.apply_async` -> `export(kind)` -> `import_string`; check it against an allow-list (`if kind not in ALLOWED: raise ...`) or look it up in a literal dict
# file: shop/signals.py
from shop.tasks import export


def on_paid(sender, instance, **kwargs):
    export.apply_async(args=["shop.exports.Invoice"], countdown=10)

# case: stored-url-host-is-a-warning (invalid)
# file: shop/tasks.py
import requests
from celery import shared_task


@shared_task
def deliver(endpoint, payload):
    requests.post(endpoint, json=payload, timeout=10)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ task argument `endpoint` reaches the scheme or host of a URL without validation; it comes from stored data: `self.url` in shop/models.py:10 -> `deliver.delay` -> `deliver(endpoint)` -> `requests.post`; check its host against an allow-list (`urlsplit(endpoint).hostname`) before the request
# file: shop/models.py
from django.db import models

from shop.tasks import deliver


class Webhook(models.Model):
    url = models.URLField()

    def fire(self, payload):
        deliver.delay(self.url, payload)

# case: url-host-built-from-an-argument (invalid)
import requests
from celery import shared_task


@shared_task
def sync(region, path):
    requests.get(f"https://{region}.api.example.com/{path}", timeout=10)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ task argument `region` reaches the scheme or host of a URL without validation; no enqueue site of `sync` in the project shows where it comes from: `sync(region)` -> `requests.get`; keep the scheme and host fixed and put the argument only in the path or query
    requests.get(f"https://api.example.com/{region}/{path}", timeout=10)

# case: whole-url-of-unknown-origin (valid)
# note: a task made to call the URLs it is given (webhook delivery) is reported only when the
# note: URL comes from the request or from stored data.
import requests
from celery import shared_task


@shared_task
def deliver(url, payload):
    requests.post(url, json=payload, timeout=10)

# case: guard-on-an-attribute-of-the-argument (valid)
# note: a check on a part of an argument (`spec.model in ALLOWED`) counts for the whole: the
# note: engine keeps no taint per attribute, so it reports less rather than more.
from dataclasses import dataclass

from celery import shared_task
from django.apps import apps

ALLOWED = ("shop.Order", "shop.Cart")


@dataclass
class Spec:
    model: str
    pk: int


@shared_task
def touch(data):
    spec = Spec(**data)
    if spec.pk and spec.model in ALLOWED:
        apps.get_model(spec.model).objects.filter(pk=spec.pk).update(seen=True)

# case: dataclass-built-from-an-argument (invalid)
# note: `Dataclass(**arg)` is derived from the argument.
from dataclasses import dataclass

from celery import shared_task
from django.apps import apps


@dataclass
class Spec:
    model: str
    pk: int


@shared_task
def touch(data):
    spec = Spec(**data)
    apps.get_model(spec.model).objects.filter(pk=spec.pk).update(seen=True)
    #    ^^^^^^^^^^^^^^^^^^^^^ task argument `data` reaches a module or class name without validation; no enqueue site of `touch` in the project shows where it comes from: `touch(data)` -> `apps.get_model`; check it against an allow-list (`if spec.model not in ALLOWED: raise ...`) or look it up in a literal dict

# case: dramatiq-actor-and-rq-job (invalid)
import subprocess

import dramatiq
from django_rq import job


@dramatiq.actor(max_retries=3)
def render(template):
    subprocess.check_output(f"render {template}", shell=True)
    #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ task argument `template` reaches a shell command without validation; no enqueue site of `render` in the project shows where it comes from: `render(template)` -> `subprocess.check_output`; check it against an allow-list, and pass the command as a list without a shell (`subprocess.run(["cmd", arg])`)


@job("default")
def compile_report(expression):
    return eval(expression)
    #      ^^^^^^^^^^^^^^^^ task argument `expression` reaches code evaluation without validation; no enqueue site of `compile_report` in the project shows where it comes from: `compile_report(expression)` -> `eval`; never evaluate job data: dispatch through a literal dict of allowed handlers
