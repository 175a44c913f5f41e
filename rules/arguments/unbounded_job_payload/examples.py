# case: ids-of-a-whole-table (invalid)
# file: shop/views.py
from shop.models import Invoice
from shop.tasks import remind


def remind_all():
    remind.delay(list(Invoice.objects.filter(paid=False).values_list("id", flat=True)))
    #      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `remind.delay` passes `list(Invoice.objects.filter(paid=False).values_list("id"...))` (one value per row of `Invoice.objects.filter(...).values_list(...)`) as one argument: the task payload grows with the table and sits in the broker for every retry; enqueue slices of ids with `remind.chunks(zip(ids), 100)`
    ids = [invoice.id for invoice in Invoice.objects.all()]
    remind.apply_async(args=[ids], countdown=60)
    #      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `remind.apply_async` passes `ids` (one value per row of `Invoice.objects.all()`, line 7) as one argument: the task payload grows with the table and sits in the broker for every retry; enqueue slices of ids with `remind.chunks(zip(ids), 100)`
# file: shop/tasks.py
from celery import shared_task


@shared_task
def remind(ids):
    return len(ids)
# file: shop/models.py
from django.db import models


class Invoice(models.Model):
    paid = models.BooleanField(default=False)

# case: bounded-or-scoped-ids (valid)
# note: a sliced queryset, or one scoped to one parent, does not grow with the table.
# file: shop/views.py
from shop.models import Invoice
from shop.tasks import remind


def remind_customer(customer_id):
    remind.delay(list(Invoice.objects.filter(paid=False)[:100].values_list("id", flat=True)))
    remind.delay([i.id for i in Invoice.objects.filter(customer_id=customer_id)])


def remind_region(region):
    # through the customer to one region: the invoices of the customers of one region
    remind.delay(list(Invoice.objects.filter(customer__region=region).values_list("id", flat=True)))

# file: shop/tasks.py
from celery import shared_task


@shared_task
def remind(ids):
    return len(ids)
# file: shop/models.py
from django.db import models


class Region(models.Model):
    name = models.CharField(max_length=50)


class Customer(models.Model):
    name = models.CharField(max_length=50)
    tier = models.CharField(max_length=10)
    region = models.ForeignKey(Region, on_delete=models.CASCADE)


class Invoice(models.Model):
    paid = models.BooleanField(default=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)

# case: through-a-parent-to-a-literal (invalid)
# note: `customer__tier="vip"` is a column's value shared by many customers, not one parent.
# file: shop/views.py
from shop.models import Invoice
from shop.tasks import remind


def remind_vip():
    remind.delay(list(Invoice.objects.filter(customer__tier="vip").values_list("id", flat=True)))
    #      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `remind.delay` passes `list(Invoice.objects.filter(customer__tier="vip")...)` (one value per row of `Invoice.objects.filter(...).values_list(...)`) as one argument: the task payload grows with the table and sits in the broker for every retry; enqueue slices of ids with `remind.chunks(zip(ids), 100)`
# file: shop/tasks.py
from celery import shared_task


@shared_task
def remind(ids):
    return len(ids)
# file: shop/models.py
from django.db import models


class Customer(models.Model):
    tier = models.CharField(max_length=10)


class Invoice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)

# case: request-body-passed-whole (invalid)
# file: shop/views.py
import json

from django.http import JsonResponse

from shop.tasks import import_rows


def upload(request):
    payload = json.loads(request.body)
    import_rows.delay(payload["rows"])
    #           ^^^^^^^^^^^^^^^^^^^^^^ `import_rows.delay` passes request input of any size, `json.loads(request.body)` (line 9), with no size check before it: whoever sends the request sizes the task payload, which sits in the broker for every retry; check its length first (`len(x)` against a limit) or cap it (`x[:100]`), or enqueue slices
    import_rows.delay(request.POST.getlist("sku"))
    #           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `import_rows.delay` passes request input of any size, `request.POST.getlist("sku")` (line 11), with no size check before it: whoever sends the request sizes the task payload, which sits in the broker for every retry; check its length first (`len(x)` against a limit) or cap it (`x[:100]`), or enqueue slices
    return JsonResponse({})
# file: shop/tasks.py
from celery import shared_task


@shared_task
def import_rows(rows):
    return len(rows)

# case: request-body-size-checked (valid)
# note: a length check before the enqueue bounds the payload; a query parameter is one string.
# file: shop/views.py
import json

from django.http import JsonResponse

from shop.tasks import import_rows


def upload(request):
    rows = json.loads(request.body)["rows"]
    if len(rows) > 500:
        return JsonResponse({"error": "too many rows"}, status=400)
    import_rows.delay(rows)
    import_rows.delay(request.GET["sku"])
    return JsonResponse({})
# file: shop/tasks.py
from celery import shared_task


@shared_task
def import_rows(rows):
    return len(rows)
