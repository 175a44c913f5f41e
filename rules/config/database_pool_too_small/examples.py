# WL102 database-pool-too-small, Celery: its examples (format: workerlint/app/examples.py)

# case: default-pool-below-threads (invalid)
# file: shopsite/settings.py
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "OPTIONS": {"pool": True},
        #                   ^^^^ Django's connection pool for `default` holds at most 4 connections (shopsite/settings.py:5; psycopg_pool's default size for `pool: True`), below the threads pool's concurrency 8 (shopsite/settings.py:9): tasks wait for a connection and fail with PoolTimeout after 30 s
    }
}
CELERY_WORKER_POOL = "threads"
CELERY_WORKER_CONCURRENCY = 8

# file: requirements.txt
# django==5.1.4
# celery==5.4.0

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: max-size-below-gevent-concurrency (invalid)
# file: shopsite/settings.py
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {"pool": {"min_size": 2, "max_size": 10}},
        #                                               ^^ Django's connection pool for `default` holds at most 10 connections (shopsite/settings.py:4), below the gevent pool's concurrency 50 in `worker` (Procfile:1): tasks wait for a connection and fail with PoolTimeout after 30 s
    }
}

# file: Procfile
# worker: celery -A shopsite worker -P gevent -c 50

# file: requirements.txt
# Django==5.2.1

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: prefork-children-have-their-own-connections (valid)
# file: shopsite/settings.py
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {"pool": True},
    }
}
CELERY_WORKER_CONCURRENCY = 8

# file: requirements.txt
# django==5.1.4

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: django-before-pooling (valid)
# note: Django 5.0 has no connection pool option.
# file: shopsite/settings.py
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {"pool": True},
    }
}
CELERY_WORKER_POOL = "threads"
CELERY_WORKER_CONCURRENCY = 8

# file: requirements.txt
# django==5.0.9

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: pool-large-enough (valid)
# file: shopsite/settings.py
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {"pool": {"max_size": 16}},
    }
}
CELERY_WORKER_POOL = "threads"
CELERY_WORKER_CONCURRENCY = 8

# file: requirements.txt
# django==5.1.4

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
