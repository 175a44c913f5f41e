# case: model-instance-to-a-celery-task (invalid)
# note: Celery serializes task arguments as JSON by default: a model instance raises
# note: kombu's EncodeError at the call.
# file: shop/views.py
from django.http import HttpResponse

from shop.models import Order
from shop.tasks import send_receipt


def checkout(request, order_id):
    order = Order.objects.get(pk=order_id)
    send_receipt.delay(order)
    #                  ^^^^^ `send_receipt.delay` passes an `Order` record (`order`, assigned on line 8): task arguments must be JSON-serializable and kombu raises EncodeError at the call
    send_receipt.apply_async(args=[request.user], countdown=60)
    #                              ^^^^^^^^^^^^ `send_receipt.apply_async` passes a `User` record (`request.user`): task arguments must be JSON-serializable and kombu raises EncodeError at the call
    return HttpResponse()
# file: shop/tasks.py
from celery import shared_task


@shared_task
def send_receipt(order):
    order.email_receipt()
# file: shop/models.py
from django.db import models


class Order(models.Model):
    email = models.EmailField()

# fixed:
from django.http import HttpResponse

from shop.models import Order
from shop.tasks import send_receipt


def checkout(request, order_id):
    order = Order.objects.get(pk=order_id)
    send_receipt.delay(order.pk)
    send_receipt.apply_async(args=[request.user.pk], countdown=60)
    return HttpResponse()

# case: sets-lambdas-and-project-objects (invalid)
# file: shop/views.py
from shop.pricing import Quote
from shop.tasks import reprice


def reprice_all(skus):
    reprice.delay(set(skus), key=lambda sku: sku.lower())
    #             ^^^^^^^^^ `reprice.delay` passes a set (`set(skus)`): task arguments must be JSON-serializable and kombu raises EncodeError at the call
    #                            ^^^^^^^^^^^^^^^^^^^^^^^ `reprice.delay` passes a lambda: a function defined in place cannot be serialized (JSON or pickle): the call raises
    reprice.s({"a", "b"}, key=Quote(skus))
    #         ^^^^^^^^^^ `reprice.s` passes a set (`{"a", "b"}`): task arguments must be JSON-serializable and kombu raises EncodeError at the call
    #                         ^^^^^^^^^^^ `reprice.s` passes a `Quote` object (`Quote(skus)`): task arguments must be JSON-serializable and kombu raises EncodeError at the call
# file: shop/tasks.py
from celery import shared_task


@shared_task
def reprice(skus, key=None):
    return sorted(skus)
# file: shop/pricing.py
class Quote:
    def __init__(self, skus):
        self.skus = skus

# case: ids-and-json-aware-classes (valid)
# note: a class defining `__json__` is carried by kombu's JSON encoder; ids and lists are plain.
# file: shop/views.py
from shop.models import Order
from shop.pricing import Quote
from shop.tasks import reprice


def reprice_all(skus):
    order = Order.objects.filter(sku__in=skus).first()
    reprice.delay(sorted(set(skus)), key=Quote(skus), order_id=order.pk)
# file: shop/tasks.py
from celery import shared_task


@shared_task
def reprice(skus, key=None, order_id=None):
    return sorted(skus)
# file: shop/pricing.py
class Quote:
    def __init__(self, skus):
        self.skus = skus

    def __json__(self):
        return {"skus": self.skus}
# file: shop/models.py
from django.db import models


class Order(models.Model):
    sku = models.CharField(max_length=20)

# case: rq-pickles-a-record (invalid)
# note: RQ pickles arguments: the record arrives as it was at enqueue time.
# file: shop/views.py
import django_rq

from shop.models import Order
from shop.tasks import sync_order


def save(request, pk):
    order = Order.objects.get(pk=pk)
    django_rq.get_queue("default").enqueue(sync_order, order, set(request.GET))
    #                                                  ^^^^^ `django_rq.get_queue("default").enqueue` passes an `Order` record (`order`, assigned on line 8): RQ pickles it, so the task gets the row as it was at enqueue time, not as it is when the task runs (and a whole object in the payload); pass its primary key
# file: shop/tasks.py
from django_rq import job


@job("default")
def sync_order(order, fields):
    order.sync(fields)
# file: shop/models.py
from django.db import models


class Order(models.Model):
    sku = models.CharField(max_length=20)

# fixed:
import django_rq

from shop.models import Order
from shop.tasks import sync_order


def save(request, pk):
    order = Order.objects.get(pk=pk)
    django_rq.get_queue("default").enqueue(sync_order, order.pk, set(request.GET))

# case: self-in-a-model-and-signal-instance (invalid)
# file: shop/models.py
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.tasks import index_order


class Order(models.Model):
    sku = models.CharField(max_length=20)

    def reindex(self):
        index_order.delay(self)
        #                 ^^^^ `index_order.delay` passes an `Order` record (`self`): task arguments must be JSON-serializable and kombu raises EncodeError at the call


@receiver(post_save, sender=Order)
def on_save(sender, instance, **kwargs):
    index_order.delay(instance)
    #                 ^^^^^^^^ `index_order.delay` passes a record (`instance`, a signal receiver's): task arguments must be JSON-serializable and kombu raises EncodeError at the call
# file: shop/tasks.py
from celery import shared_task


@shared_task
def index_order(order):
    order.index()

# fixed:
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.tasks import index_order


class Order(models.Model):
    sku = models.CharField(max_length=20)

    def reindex(self):
        index_order.delay(self.pk)


@receiver(post_save, sender=Order)
def on_save(sender, instance, **kwargs):
    index_order.delay(instance.pk)
