# case: module-level-set-grows (invalid)
# note: Appending is a warning; adding a key is a note (the keys may be a small fixed set).
from collections import defaultdict

from celery import shared_task

SEEN = set()
TOTALS = defaultdict(int)


@shared_task
def ingest(event_id, source):
    SEEN.add(event_id)
    #^^^^^^^^^^^^^^^^^ `SEEN.add(event_id)` adds to the module-level `SEEN`, a set created at line 5 that lives as long as the worker process and is shared by every task it runs: each run adds to it and nothing takes entries out, so memory grows until the process restarts; keep it in the task, or in Redis with an expiry
    TOTALS[source] += 1
    #^^^^^^^^^^^^^^^^^^ `TOTALS[source] += 1` adds a key to the module-level `TOTALS`, a defaultdict created at line 6 that lives as long as the worker process and is shared by every task it runs: it grows with every distinct key and nothing takes entries out, so unless the keys are a small fixed set, memory grows until the process restarts; use Django's cache or Redis with an expiry, or an LRU
    TOTALS["all"] += 1

# case: class-attribute-and-unbounded-cache (invalid)
# note: A class attribute through cls; an lru_cache(maxsize=None) function that takes arguments.
from functools import lru_cache

from celery import Task


@lru_cache(maxsize=None)
def exchange_rate(currency, day):
    return 1.0


class ConvertTask(Task):
    history = []

    def run(self, currency, day):
        self.history.append((currency, day))
        #^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `self.history.append((currency, day))` adds to the class attribute `ConvertTask.history`, a list created at line 12 that lives as long as the worker process and is shared by every task it runs: each run adds to it and nothing takes entries out, so memory grows until the process restarts; keep it in the task, or in Redis with an expiry
        return exchange_rate(currency, day)
        #      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `exchange_rate` is memoised with `@lru_cache(maxsize=None)` (line 6), which never evicts: every distinct argument it is called with adds an entry kept for the life of the worker process, so unless the arguments are a small fixed set memory grows until the process restarts; give it a `maxsize`

# case: managed-local-and-bounded (valid)
# note: Locals, instance attributes, collections the module empties, bounded caches, caches without arguments.
from collections import deque
from functools import cache, lru_cache

from celery import Task, shared_task

PENDING = {}
RECENT = deque(maxlen=100)


@cache
def settings_snapshot():
    return {}


@lru_cache(maxsize=256)
def lookup(sku):
    return sku


class BatchTask(Task):
    def __init__(self):
        self.buffer = []

    def run(self, item):
        self.buffer.append(item)


@shared_task
def track(key, value):
    local = {}
    local[key] = value
    PENDING[key] = value
    RECENT.append(value)
    settings_snapshot()
    lookup(key)


@shared_task
def flush(key):
    PENDING.pop(key, None)
