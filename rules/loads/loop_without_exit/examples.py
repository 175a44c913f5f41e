# case: while-true-polling (invalid)
# note: A break inside a nested for loop ends that loop, not the while.
from celery import shared_task

from shop.inbox import fetch_events


@shared_task
def consume_events():
    while True:
    #^^^^^^^^^ `while True` has no `break`, `return` or `raise` that ends it: the task never finishes and holds its worker slot for as long as the process lives (a restart redelivers it, and it loops again); poll one round per task and re-enqueue it, or use a periodic task, instead
        for event in fetch_events():
            if event is None:
                break
            event.handle()

# case: while-one-with-nested-function-return (invalid)
# note: A return inside a nested function leaves that function, not the loop.
import dramatiq


@dramatiq.actor
def watch_queue(name):
    while 1:
    #^^^^^^ `while 1` has no `break`, `return` or `raise` that ends it: the task never finishes and holds its worker slot for as long as the process lives (a restart redelivers it, and it loops again); poll one round per task and re-enqueue it, or use a periodic task, instead
        def ready(item):
            return item.ready

        print(name, ready)

# case: loops-that-end (valid)
# note: Its own break, a return, a raise, sys.exit, a generator's yield, a non-literal condition.
import sys

from celery import shared_task


@shared_task
def drain(queue):
    while True:
        item = queue.pop()
        if item is None:
            break
    while True:
        if queue.empty():
            return
    while True:
        if queue.closed:
            raise RuntimeError("closed")
    while True:
        sys.exit(0)
    while queue.size():
        queue.pop()


def pages(client):
    while True:
        yield client.next_page()

# case: time-limit-ends-it (valid)
# note: A Celery time limit ends the loop (shown with --verbose).
from celery import shared_task


@shared_task(soft_time_limit=300, time_limit=320)
def tail_log(path):
    while True:
        print(path)
