# case: sleep-in-celery-task (invalid)
# note: time.sleep holds a worker slot; the advice is Celery's countdown.
import time

from celery import shared_task


@shared_task
def warm_cache(keys):
    for key in keys:
        time.sleep(0.5)
        #    ^^^^^^^^^^ `time.sleep` blocks this worker for 0.5 s on each pass of the `for` loop (line 8), counted against the worker's concurrency while it waits: retry later with `self.retry(countdown=...)` or enqueue with `apply_async(countdown=...)`

# case: sleep-on-the-error-path (invalid)
# note: In an except clause the message says it runs only there, and that the loop tries again.
from time import sleep

import requests
from celery import shared_task


@shared_task
def push_stock(url, delay):
    for attempt in range(3):
        try:
            return requests.post(url, timeout=5)
        except requests.ConnectionError:
            sleep(delay)
            #^^^^^^^^^^^ `sleep` blocks this worker for `delay` only on the error path: each time it catches `requests.ConnectionError` (line 12) and the loop tries again, counted against the worker's concurrency while it waits: retry later with `self.retry(countdown=...)` or enqueue with `apply_async(countdown=...)`

# case: async-and-zero-sleeps (valid)
# note: asyncio.sleep waits on the event loop; time.sleep(0) only yields; another object's sleep is its own.
import asyncio
import time

import dramatiq


class Throttle:
    def sleep(self, seconds):
        pass


@dramatiq.actor
async def refresh_feed(feed_id):
    await asyncio.sleep(2)


@dramatiq.actor
def refresh_all(feed_ids):
    time.sleep(0)
    Throttle().sleep(3)

# case: rq-advice (invalid)
# note: The advice follows the framework of the task.
import time

from rq.decorators import job


@job("default")
def rebuild_thumbnails(image_id):
    time.sleep(30)
    #    ^^^^^^^^^ `time.sleep` blocks this worker for 30 s, counted against the worker's concurrency while it waits: enqueue the next step with `queue.enqueue_in(timedelta(...), ...)`
