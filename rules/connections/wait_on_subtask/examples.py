# case: delay-then-get-under-the-default-pool (invalid)
# note: no worker command and no worker_pool: Celery's default prefork pool forbids waiting.
from celery import shared_task


@shared_task
def build_feed(shop_id):
    return f"feeds/{shop_id}.xml"


@shared_task
def publish_catalog(shop_id):
    export = build_feed.delay(shop_id)
    return export.get(timeout=600)
    #             ^^^^^^^^^^^^^^^^ `export.get()` waits in the task `shop.tasks.publish_catalog` for the result of `build_feed.delay(...)`: under the prefork pool (Celery's default), Celery raises `RuntimeError: Never call result.get() within a task!`, so the task always fails

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: apply-async-chained-get (invalid)
from celery import shared_task

from shop.feeds import build_feed


@shared_task
def publish_catalog(shop_id):
    path = build_feed.apply_async((shop_id,), queue="feeds").get()
    #                                                        ^^^^^ `build_feed.apply_async(...).get()` waits in the task `shop.tasks.publish_catalog` for the result of `build_feed.apply_async(...)`: under the prefork pool (Celery's default), Celery raises `RuntimeError: Never call result.get() within a task!`, so the task always fails
    return path

# file: shop/feeds.py
from celery import shared_task


@shared_task
def build_feed(shop_id):
    return f"feeds/{shop_id}.xml"

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: group-join-under-a-solo-worker (invalid)
from celery import group, shared_task


@shared_task
def resize(image_id):
    return image_id


@shared_task
def resize_gallery(image_ids):
    results = group(resize.s(i) for i in image_ids).apply_async()
    return results.join()
    #              ^^^^^^ `results.join()` waits in the task `shop.tasks.resize_gallery` for the result of `group(resize.s(i) for i in image_ids).apply_async(...)`: under the solo pool (Procfile:1), Celery raises `RuntimeError: Never call result.get() within a task!`, so the task always fails

# file: Procfile
# worker: celery -A shop worker -P solo -Q celery
# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: async-result-by-id (invalid)
from celery import shared_task
from celery.result import AsyncResult


@shared_task
def wait_for_export(task_id):
    return AsyncResult(task_id).get()
    #                           ^^^^^ `AsyncResult(...).get()` waits in the task `shop.tasks.wait_for_export` for the result of `AsyncResult(...)`: under the prefork, threads and solo pools (this project's pool is unknown), Celery raises `RuntimeError: Never call result.get() within a task!`, so the task always fails

# case: send-task-result (invalid)
from shop.celery import app


@app.task
def refresh_prices(sku):
    price = app.send_task("pricing.tasks.quote", args=[sku]).get(timeout=30)
    #                                                        ^^^^^^^^^^^^^^^ `app.send_task(...).get()` waits in the task `shop.tasks.refresh_prices` for the result of `app.send_task(...)`: under the prefork pool (Celery's default), Celery raises `RuntimeError: Never call result.get() within a task!`, so the task always fails
    return price

# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: chord-called-and-waited (invalid)
from celery import chord, shared_task


@shared_task
def count(shard):
    return shard


@shared_task
def total(counts):
    return sum(counts)


@shared_task
def recount(shards):
    result = chord([count.s(s) for s in shards])(total.s())
    return result.get()
    #             ^^^^^ `result.get()` waits in the task `shop.tasks.recount` for the result of `chord([count.s(s) for s in shards])(...)`: under the threads pool (shop/celery.py:4), Celery raises `RuntimeError: Never call result.get() within a task!`, so the task always fails

# file: shop/celery.py
from celery import Celery

app = Celery("shop")
app.conf.worker_pool = "threads"

# case: gevent-pool-deadlocks (invalid)
# note: gevent and eventlet allow waiting: a warning, since waiting slots can starve the pool.
from celery import shared_task


@shared_task
def build_feed(shop_id):
    return shop_id


@shared_task
def publish_catalog(shop_id):
    return build_feed.delay(shop_id).get()
    #                                ^^^^^ `build_feed.delay(...).get()` waits in the task `shop.tasks.publish_catalog` for the result of `build_feed.delay(...)`, under the gevent pool (Procfile:1): the worker slot is held until the other task runs; once every slot waits on a task that no free slot can run, the worker deadlocks

# file: Procfile
# worker: celery -A shop worker --pool gevent --concurrency 200
# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: only-the-consuming-worker-counts (invalid)
# note: the task's queue is consumed by the prefork worker alone; the gevent worker's pool, which
# would allow waiting, never runs it.
from celery import shared_task


@shared_task
def build_feed(shop_id):
    return shop_id


@shared_task(queue="feeds")
def publish_catalog(shop_id):
    return build_feed.delay(shop_id).get()
    #                                ^^^^^ `build_feed.delay(...).get()` waits in the task `shop.tasks.publish_catalog` for the result of `build_feed.delay(...)`: under the prefork pool (Celery's default), Celery raises `RuntimeError: Never call result.get() within a task!`, so the task always fails

# file: Procfile
# web: celery -A shop worker -P gevent -c 200 -Q celery
# feeds: celery -A shop worker -c 4 -Q feeds
# file: shop/celery.py
from celery import Celery

app = Celery("shop")

# case: routed-to-a-gevent-worker (invalid)
# note: `task_routes` sends the task to `crawl`, which only the gevent worker consumes: a
# warning, not the prefork worker's error.
from celery import shared_task


@shared_task
def fetch_page(url):
    return url


@shared_task
def crawl_site(url):
    return fetch_page.delay(url).get()
    #                            ^^^^^ `fetch_page.delay(...).get()` waits in the task `shop.tasks.crawl_site` for the result of `fetch_page.delay(...)`, under the gevent pool (Procfile:2): the worker slot is held until the other task runs; once every slot waits on a task that no free slot can run, the worker deadlocks

# file: Procfile
# worker: celery -A shop worker -c 4 -Q celery
# crawler: celery -A shop worker -P gevent -c 100 -Q crawl
# file: shop/celery.py
from celery import Celery

app = Celery("shop")
app.conf.task_routes = {"shop.tasks.crawl_site": {"queue": "crawl"}}

# case: inside-allow-join-result (invalid)
from celery import shared_task
from celery.result import allow_join_result


@shared_task
def build_feed(shop_id):
    return shop_id


@shared_task
def publish_catalog(shop_id):
    result = build_feed.delay(shop_id)
    with allow_join_result():
        return result.get()
        #             ^^^^^ `result.get()` waits in the task `shop.tasks.publish_catalog` for the result of `build_feed.delay(...)`, inside `with allow_join_result():`: the worker slot is held until the other task runs; once every slot waits on a task that no free slot can run, the worker deadlocks

# case: disable-sync-subtasks-false (invalid)
from celery import shared_task


@shared_task
def build_feed(shop_id):
    return shop_id


@shared_task
def publish_catalog(shop_id):
    return build_feed.delay(shop_id).get(disable_sync_subtasks=False)
    #                                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `build_feed.delay(...).get()` waits in the task `shop.tasks.publish_catalog` for the result of `build_feed.delay(...)`, with `disable_sync_subtasks=False`: the worker slot is held until the other task runs; once every slot waits on a task that no free slot can run, the worker deadlocks

# case: chain-instead-of-waiting (valid)
from celery import chain, shared_task


@shared_task
def build_feed(shop_id):
    return shop_id


@shared_task
def upload_feed(path):
    return path


@shared_task
def publish_catalog(shop_id):
    chain(build_feed.s(shop_id), upload_feed.s()).apply_async()

# case: dictionary-get-in-a-task (valid)
from celery import shared_task


@shared_task
def apply_discount(payload):
    code = payload.get("code")
    return code

# case: http-get-in-a-task (valid)
import requests
from celery import shared_task


@shared_task
def fetch_rates(url):
    return requests.get(url, timeout=10).json()

# case: waiting-outside-a-task (valid)
# note: a view may wait for a result (it is not a worker slot); only task bodies are checked.
# file: shop/views.py
from shop.tasks import build_feed


def feed_view(request, shop_id):
    return build_feed.delay(shop_id).get(timeout=5)

# file: shop/tasks.py
from celery import shared_task


@shared_task
def build_feed(shop_id):
    return shop_id

# case: result-passed-in-is-unknown (valid)
# note: a parameter's value is not known to be a result handle.
from celery import shared_task


@shared_task
def summarise(report):
    return report.get("total")

# case: readiness-check-only (valid)
from celery import shared_task
from celery.result import AsyncResult


@shared_task
def poll_export(task_id):
    result = AsyncResult(task_id)
    if not result.ready():
        poll_export.apply_async((task_id,), countdown=30)

# case: cache-get-in-a-task (valid)
from celery import shared_task
from django.core.cache import cache


@shared_task
def warm(key):
    return cache.get(key)

# case: delay-on-a-non-task (valid)
# note: `delay` on something that is not a Celery task of the project is not a result handle.
from celery import shared_task

from shop.throttle import limiter


@shared_task
def ping(host):
    return limiter.delay(host).get()
