# case: range-and-sleep-of-an-argument (invalid)
import time

from celery import shared_task

from shop.models import Sample


@shared_task
def seed(count, pause):
    for _ in range(int(count)):
    #        ^^^^^^^^^^^^^^^^^ task argument `count` sizes work without a bound; no enqueue site of `seed` in the project shows where it comes from: `seed(count)` -> `range`; bound it (`min(count, MAX)`) or return/raise when it is above a maximum
        Sample.objects.create()
    time.sleep(pause)
    #    ^^^^^^^^^^^^ task argument `pause` sizes work without a bound; no enqueue site of `seed` in the project shows where it comes from: `seed(pause)` -> `time.sleep`; bound it (`min(pause, MAX)`) or return/raise when it is above a maximum

# case: bounded-by-min-or-a-guard (valid)
# note: `min(n, MAX)` and an early return above a maximum bound the argument.
import time

from celery import shared_task

from shop.models import Sample

MAX_SAMPLES = 1_000


@shared_task
def seed(count, pause):
    for _ in range(min(count, MAX_SAMPLES)):
        Sample.objects.create()
    if pause > 60:
        return
    time.sleep(pause)

# case: query-slice-list-repeat-and-chunks (invalid)
from itertools import islice

from celery import shared_task

from shop.models import Order


@shared_task
def digest(limit, copies, batch):
    recent = Order.objects.filter(paid=True).order_by("-created")[:limit]
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ task argument `limit` sizes work without a bound; no enqueue site of `digest` in the project shows where it comes from: `digest(limit)` -> `Order.objects.filter(...).order_by(...)[...]`; bound it (`min(limit, MAX)`) or return/raise when it is above a maximum
    header = ["-"] * copies
    #        ^^^^^^^^^^^^^^ task argument `copies` sizes work without a bound; no enqueue site of `digest` in the project shows where it comes from: `digest(copies)` -> `["-"] * copies`; bound it (`min(copies, MAX)`) or return/raise when it is above a maximum
    for order in Order.objects.filter(paid=True).iterator(chunk_size=batch):
    #                                            ^^^^^^^^^^^^^^^^^^^^^^^^^^ task argument `batch` sizes work without a bound; no enqueue site of `digest` in the project shows where it comes from: `digest(batch)` -> `Order.objects.filter(...).iterator`; bound it (`min(batch, MAX)`) or return/raise when it is above a maximum
        order.touch()
    return list(islice(recent, batch)), header
    #           ^^^^^^^^^^^^^^^^^^^^^ task argument `batch` sizes work without a bound; no enqueue site of `digest` in the project shows where it comes from: `digest(batch)` -> `islice`; bound it (`min(batch, MAX)`) or return/raise when it is above a maximum

# case: slicing-the-payload-is-bounded (valid)
# note: slicing a task argument, or looping over its length, is bounded by the payload itself.
from celery import shared_task

from shop.models import Order


@shared_task
def touch(ids, limit):
    for index in range(len(ids)):
        Order.objects.filter(pk=ids[index]).update(seen=True)
    return ids[:limit]

# case: request-sized-loop-is-an-error (invalid)
# file: shop/tasks.py
from celery import shared_task

from shop.models import Sample


@shared_task
def seed(count):
    for _ in range(count):
    #        ^^^^^^^^^^^^ task argument `count` sizes work without a bound; it comes from the request: `request.POST["count"]` in shop/views.py:7 -> `seed.delay` -> `seed(count)` -> `range`; bound it (`min(count, MAX)`) or return/raise when it is above a maximum
        Sample.objects.create()
# file: shop/views.py
from django.http import JsonResponse

from shop.tasks import seed


def start(request):
    seed.delay(int(request.POST["count"]))
    return JsonResponse({})
