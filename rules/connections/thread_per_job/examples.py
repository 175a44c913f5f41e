# case: thread-per-run (invalid)
import threading

from celery import shared_task


@shared_task
def import_feed(url):
    worker = threading.Thread(target=print, args=(url,))
    #                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `threading.Thread` starts threads on every run of the celery task `shop.tasks.import_feed`, outside the worker's concurrency: a busy queue starts them without limit, they share the process's connections, and the worker does not wait for them when it shuts down; enqueue the work as tasks instead
    worker.start()

# case: process-pool-under-celery (invalid)
# note: While the worker's pool is not known, a warning that says what prefork (Celery's default) does.
from concurrent.futures import ProcessPoolExecutor

from celery import shared_task


@shared_task
def render_pages(page_ids):
    with ProcessPoolExecutor(max_workers=4) as pool:
    #    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `ProcessPoolExecutor` starts a child process on every run of the celery task `shop.tasks.render_pages`: under Celery's prefork pool (its default; this worker's pool is not known) a prefork pool process is daemonic, and starting a `multiprocessing` child from it raises `AssertionError: daemonic processes are not allowed to have children`; enqueue the work as tasks (a `group`) instead
        list(pool.map(str, page_ids))

# case: multiprocessing-under-a-prefork-worker (invalid)
# note: The worker command runs the prefork pool: the task always fails, an error.
from multiprocessing import Pool

from shop.celery import app


@app.task
def resize_images(paths):
    with Pool(4) as pool:
    #    ^^^^^^^ `Pool` starts a child process on every run of the celery task `shop.tasks.resize_images` under Celery's prefork pool: a prefork pool process is daemonic, and starting a `multiprocessing` child from it raises `AssertionError: daemonic processes are not allowed to have children`, so the task always fails; enqueue the work as tasks (a `group`) instead
        pool.map(len, paths)
# file: shop/celery.py
from celery import Celery

app = Celery("shop")
# file: Procfile
# worker: celery -A shop worker --concurrency 4 --loglevel info

# case: fork-in-rq-job (invalid)
import os

from rq.decorators import job


@job("default")
def snapshot(path):
    if os.fork() == 0:
    #     ^^^^^^ `os.fork` starts a child process on every run of the rq task `shop.tasks.snapshot`, a copy of the whole worker process, outside the worker's concurrency: a busy queue starts them without limit, they share the process's connections, and the worker does not wait for them when it shuts down; enqueue the work as tasks instead
        os._exit(0)

# case: kept-for-the-process (valid)
# note: A module-level executor, a thread-local, and Thread the project defines are not started per run.
from concurrent.futures import ThreadPoolExecutor

from celery import shared_task

EXECUTOR = ThreadPoolExecutor(max_workers=2)


class Thread:
    def __init__(self, title):
        self.title = title


@shared_task
def post_reply(title):
    EXECUTOR.submit(print, title)
    return Thread(title)
