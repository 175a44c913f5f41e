# case: requests-get-without-timeout (invalid)
# note: requests has no default timeout: the call waits for a hung server forever.
import requests
from celery import shared_task


@shared_task
def deliver_webhook(url, payload):
    requests.post(url, json=payload)
    #        ^^^^^^^^^^^^^^^^^^^^^^^ `requests.post` has no timeout: a hung server holds this worker forever (requests has no default timeout)
# fixed:
import requests
from celery import shared_task


@shared_task
def deliver_webhook(url, payload):
    requests.post(url, json=payload, timeout=10)

# case: requests-get-with-timeout (valid)
import requests
from celery import shared_task


@shared_task
def deliver_webhook(url, payload):
    requests.post(url, json=payload, timeout=(3.05, 10))

# case: session-timeout-attribute-is-ignored (invalid)
# note: requests ignores `session.timeout` (psf/requests #2856): the request still has none.
import requests
from celery import shared_task


@shared_task
def fetch_rates(url):
    session = requests.Session()
    session.timeout = 10
    return session.get(url).json()
    #              ^^^^^^^^ `session.get` has no timeout (a `requests.Session` has no default timeout): a hung server holds this worker forever (requests has no default timeout)

# case: session-from-with-statement (invalid)
import requests
from celery import shared_task


@shared_task
def fetch_pages(urls):
    with requests.Session() as http:
        for url in urls:
            http.get(url)
            #    ^^^^^^^^ `http.get` has no timeout (a `requests.Session` has no default timeout): a hung server holds this worker forever (requests has no default timeout)

# case: session-on-self-built-in-init (invalid)
from celery import Task

import requests


class SyncCatalog(Task):
    def __init__(self):
        self.http = requests.Session()

    def run(self, url):
        return self.http.get(url, params={"page": 1})
        #                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `self.http.get` has no timeout (a `requests.Session` has no default timeout): a hung server holds this worker forever (requests has no default timeout)

# case: session-with-mounted-timeout-adapter (valid)
# note: a project HTTPAdapter subclass that overrides `send` is how a session gets a default.
import requests
from celery import shared_task
from requests.adapters import HTTPAdapter


class TimeoutAdapter(HTTPAdapter):
    def send(self, request, **kwargs):
        kwargs.setdefault("timeout", 10)
        return super().send(request, **kwargs)


@shared_task
def fetch_rates(url):
    session = requests.Session()
    session.mount("https://", TimeoutAdapter())
    return session.get(url).json()

# case: session-with-plain-adapter (invalid)
# note: requests' own HTTPAdapter sets retries, not a timeout.
import requests
from celery import shared_task
from requests.adapters import HTTPAdapter


@shared_task
def fetch_rates(url):
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=3))
    return session.get(url).json()
    #              ^^^^^^^^ `session.get` has no timeout (a `requests.Session` has no default timeout): a hung server holds this worker forever (requests has no default timeout)

# case: timeout-none (invalid)
import requests
from celery import shared_task


@shared_task
def export(url, rows):
    requests.put(url, json=rows, timeout=None)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `requests.put` has `timeout` set to None, which waits forever: a hung server holds this worker forever (requests has no default timeout)
# fixed:
import requests
from celery import shared_task


@shared_task
def export(url, rows):
    requests.put(url, json=rows, timeout=10)

# case: httpx-default-timeout (valid)
# note: httpx times out after 5 s unless told otherwise.
import httpx
from celery import shared_task


@shared_task
def ping(url):
    httpx.get(url)
    with httpx.Client() as client:
        client.post(url, json={})

# case: httpx-client-without-timeout (invalid)
import httpx
from celery import shared_task


@shared_task
def ping(url):
    with httpx.Client(timeout=None) as client:
        client.post(url, json={})
        #      ^^^^^^^^^^^^^^^^^^ `client.post` has `timeout` set to None, which waits forever: a hung server holds this worker forever

# case: aiohttp-session-timeout-none-means-default (valid)
# note: `ClientSession(timeout=None)` is aiohttp's default (300 s total), not "no timeout".
import aiohttp
import dramatiq


@dramatiq.actor
async def refresh(url):
    async with aiohttp.ClientSession(timeout=None) as session:
        async with session.get(url) as response:
            return await response.json()

# case: aiohttp-request-timeout-none (invalid)
import aiohttp
import dramatiq


@dramatiq.actor
async def refresh(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url, timeout=None) as response:
            #              ^^^^^^^^^^^^^^^^^^^^^^ `session.get` has `timeout` set to None, which waits forever: a hung server holds this worker forever
            return await response.json()
# fixed:
import aiohttp
import dramatiq


@dramatiq.actor
async def refresh(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as response:
            return await response.json()

# case: aiohttp-timeout-none-fix-adds-the-import (invalid)
# note: the module imports only `ClientSession`: the fix also imports `ClientTimeout`.
"""Refresh exchange rates from the rates service."""
from aiohttp import ClientSession
from arq import cron


async def refresh_rates(ctx, url):
    async with ClientSession() as session:
        async with session.get(url, timeout=None) as response:
            #              ^^^^^^^^^^^^^^^^^^^^^^ `session.get` has `timeout` set to None, which waits forever: a hung server holds this worker forever
            return await response.json()


class WorkerSettings:
    functions = [refresh_rates]
    cron_jobs = [cron(refresh_rates, minute=0)]
# fixed:
"""Refresh exchange rates from the rates service."""
from aiohttp import ClientSession, ClientTimeout
from arq import cron


async def refresh_rates(ctx, url):
    async with ClientSession() as session:
        async with session.get(url, timeout=ClientTimeout(total=10)) as response:
            return await response.json()


class WorkerSettings:
    functions = [refresh_rates]
    cron_jobs = [cron(refresh_rates, minute=0)]

# case: urlopen-without-timeout (invalid)
# note: in an RQ job the work horse is killed at the job timeout (180 s unless the job sets one).
from urllib.request import urlopen

from rq.decorators import job


@job("default")
def fetch_feed(url):
    with urlopen(url) as response:
         #^^^^^^^^^^^ `urlopen` has no timeout: a hung server holds this worker until RQ kills the job at its default 180 s timeout (urllib's socket default is none)
        return response.read()

# case: rq-job-with-its-own-timeout (invalid)
from rq.decorators import job

import requests


@job("imports", timeout=600)
def import_feed(url):
    return requests.get(url).json()
    #               ^^^^^^^^ `requests.get` has no timeout: a hung server holds this worker until RQ kills the job at its 600 s timeout (requests has no default timeout)
# fixed:
from rq.decorators import job

import requests


@job("imports", timeout=600)
def import_feed(url):
    return requests.get(url, timeout=10).json()

# case: smtp-without-timeout-in-constructor (invalid)
# note: the finding points at the sending call; the timeout belongs in the constructor.
import smtplib

from celery import shared_task


@shared_task
def send_report(host, sender, to, body):
    server = smtplib.SMTP(host, 587)
    server.sendmail(sender, to, body)
    #      ^^^^^^^^^^^^^^^^^^^^^^^^^^ `server.sendmail` has no timeout (its connection, built by `smtplib.SMTP()` on line 8, sets none): a hung server holds this worker forever (smtplib's socket default is none)
# fixed:
import smtplib

from celery import shared_task


@shared_task
def send_report(host, sender, to, body):
    server = smtplib.SMTP(host, 587, timeout=10)
    server.sendmail(sender, to, body)

# case: options-from-kwargs (valid)
# note: the timeout may be in `**options`: it cannot be known, so nothing is reported.
import requests
from celery import shared_task


@shared_task
def call_api(url, **options):
    return requests.get(url, **options)

# case: not-task-code (valid)
# note: a module without tasks, not called from task code: a web view's request is not
# note: worker code.
# file: shop/views.py
import requests


def proxy(request):
    return requests.get(request.GET["url"])

# case: task-module-helper (invalid)
# note: every function of a module that defines a task is task code.
import requests
from celery import shared_task


def fetch(url):
    return requests.get(url).json()
    #               ^^^^^^^^ `requests.get` has no timeout: a hung server holds this worker forever (requests has no default timeout)


@shared_task
def refresh(url):
    return fetch(url)

# case: helper-called-from-a-task (invalid)
# note: a function of another module that a task calls directly is task code (one level).
# file: shop/clients.py
import requests


def fetch(url):
    return requests.get(url).json()
    #               ^^^^^^^^ `requests.get` has no timeout: a hung server holds this worker forever (requests has no default timeout)
# file: shop/tasks.py
from celery import shared_task

from shop.clients import fetch


@shared_task
def refresh(url):
    return fetch(url)

# case: app-task-decorator-through-relative-import (invalid)
# file: shop/tasks.py
import requests

from .celery import app


@app.task(bind=True, max_retries=3)
def sync_orders(self, url):
    requests.get(url)
    #        ^^^^^^^^ `requests.get` has no timeout: a hung server holds this worker forever (requests has no default timeout)
# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: send-mail-without-email-timeout (invalid)
# note: Django's SMTP backend passes no timeout unless the settings set EMAIL_TIMEOUT (default None).
from celery import shared_task
from django.core.mail import EmailMessage, send_mail


@shared_task
def send_invoice(address, body):
    send_mail("Your invoice", body, "shop@example.com", [address])
    #^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `send_mail` has no timeout (the settings set no `EMAIL_TIMEOUT`, so Django's SMTP backend connects with none): a hung server holds this worker forever (smtplib's socket default is none)
    message = EmailMessage("Copy", body, "shop@example.com", ["archive@example.com"])
    message.send()
    #       ^^^^^^ `message.send` has no timeout (the settings set no `EMAIL_TIMEOUT`, so Django's SMTP backend connects with none): a hung server holds this worker forever (smtplib's socket default is none)
# file: manage.py
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
# file: shop/settings.py
EMAIL_HOST = "smtp.example.com"

# case: mail-bounded-by-settings-or-connection (valid)
# note: EMAIL_TIMEOUT in the settings, or a connection built with a timeout.
from celery import shared_task
from django.core.mail import get_connection, send_mail, send_mass_mail


@shared_task
def send_invoice(address, body):
    send_mail("Your invoice", body, "shop@example.com", [address])
    send_mass_mail((("Hi", body, "shop@example.com", [address]),), connection=get_connection(timeout=5))
# file: manage.py
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
# file: shop/settings.py
EMAIL_HOST = "smtp.example.com"
EMAIL_TIMEOUT = 10

# case: socket-default-covers-urllib-not-requests (invalid)
# note: socket.setdefaulttimeout in the settings module bounds urllib and imaplib, never requests (it passes None).
import imaplib
import urllib.request

import requests
from celery import shared_task


@shared_task
def poll(url, host):
    urllib.request.urlopen(url).read()
    imaplib.IMAP4_SSL(host).logout()
    requests.get(url)
    #        ^^^^^^^^ `requests.get` has no timeout: a hung server holds this worker forever (requests has no default timeout)
# fixed:
import imaplib
import urllib.request

import requests
from celery import shared_task


@shared_task
def poll(url, host):
    urllib.request.urlopen(url).read()
    imaplib.IMAP4_SSL(host).logout()
    requests.get(url, timeout=10)
# file: manage.py
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
# file: shop/settings.py
import socket

socket.setdefaulttimeout(30)

# case: stdlib-mail-clients-and-session-send (invalid)
# note: imaplib/poplib/ftplib connect in the constructor; Session.send is a request.
import ftplib
import poplib

import requests
from celery import shared_task


@shared_task
def fetch_mail(host, request):
    box = poplib.POP3(host, 110)
    #            ^^^^^^^^^^^^^^^ `poplib.POP3` has no timeout: a hung server holds this worker forever (poplib's socket default is none)
    ftp = ftplib.FTP(host, "user", "secret")
    #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ftplib.FTP` has no timeout: a hung server holds this worker forever (ftplib's socket default is none)
    session = requests.Session()
    session.send(request.prepare())
    #       ^^^^^^^^^^^^^^^^^^^^^^^ `session.send` has no timeout (a `requests.Session` has no default timeout): a hung server holds this worker forever (requests has no default timeout)
    return box, ftp
# fixed:
import ftplib
import poplib

import requests
from celery import shared_task


@shared_task
def fetch_mail(host, request):
    box = poplib.POP3(host, 110, timeout=10)
    ftp = ftplib.FTP(host, "user", "secret", timeout=10)
    session = requests.Session()
    session.send(request.prepare(), timeout=10)
    return box, ftp
