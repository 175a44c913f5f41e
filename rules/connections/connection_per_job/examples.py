# case: redis-client-per-run (invalid)
# note: A client built in the task body opens a new connection on every run.
import redis
from celery import shared_task
from django.conf import settings


@shared_task
def count_visit(page_id):
    r = redis.Redis.from_url(settings.REDIS_URL)
    #               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `redis.Redis.from_url` builds a new Redis client with a connection pool of its own on every run of the celery task `shop.tasks.count_visit`: each run opens a new connection (TCP and AUTH) and leaves it for the garbage collector; build it once per process, at module level or in a memoised function (redis-py clients are thread-safe), or share one `ConnectionPool`
    r.incr(f"visits:{page_id}")

# case: database-and-boto3-per-run (invalid)
import boto3
import psycopg2
from celery import shared_task


@shared_task
def archive_rows(dsn, bucket):
    conn = psycopg2.connect(dsn)
    #               ^^^^^^^^^^^^ `psycopg2.connect` builds a new PostgreSQL connection on every run of the celery task `shop.tasks.archive_rows`: each run pays the connection and authentication, and PostgreSQL's `max_connections` is reached under load; use the framework's connection (Django's `connection`, a SQLAlchemy engine) or build it once per process, at module level or in a memoised function
    s3 = boto3.client("s3")
    #          ^^^^^^^^^^^^ `boto3.client` builds a new boto3 client, loading its service model and credentials on every run of the celery task `shop.tasks.archive_rows`: each run pays tens of milliseconds and a new connection pool; build it once per process, at module level or in a memoised function (boto3 clients are thread-safe; resources are not, keep one per thread)
    s3.put_object(Bucket=bucket, Key="rows", Body=str(conn))

# case: session-per-run-is-a-note (invalid)
# note: A requests session per run loses keep-alive between runs: a note.
import requests
from celery import shared_task


@shared_task
def crawl(urls):
    with requests.Session() as http:
    #             ^^^^^^^^^ `requests.Session` builds a new HTTP session whose connection pool ends with the run on every run of the celery task `shop.tasks.crawl`: no connection is reused between runs; keep one session per process if the task calls the same hosts often
        for url in urls:
            http.get(url, timeout=10)

# case: kept-for-the-process (valid)
# note: Module level, memoised, a global, a class attribute, a Task instance attribute.
from functools import lru_cache

import boto3
import redis
from celery import Task, shared_task
from pymongo import MongoClient

REDIS = redis.Redis()
_engine = None


@lru_cache(maxsize=1)
def s3():
    return boto3.client("s3")


def engine():
    global _engine
    if _engine is None:
        _engine = redis.StrictRedis()
    return _engine


class Mongo:
    client = None

    @classmethod
    def get(cls):
        if cls.client is None:
            cls.client = MongoClient()
        return cls.client


class ReportTask(Task):
    def __init__(self):
        self.redis = redis.Redis()

    def run(self, report_id):
        self.redis.incr(report_id)


@shared_task
def store(key):
    REDIS.set(key, 1)
    s3().put_object(Bucket="b", Key=key, Body=b"")
