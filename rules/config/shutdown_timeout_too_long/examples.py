# WL108 shutdown-timeout-too-long, Python: its examples (format: workerlint/app/examples.py)

# case: celery-soft-shutdown-above-grace (invalid)
# file: celeryconfig.py
worker_soft_shutdown_timeout = 60
#                              ^^ Celery's soft shutdown waits 60 s (celeryconfig.py:1) for running tasks, not less than the 30 s grace period: the platform kills the worker first, and the tasks it held are cut off mid-run

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: celery-soft-shutdown-before-celery-5-5 (valid)
# note: the setting exists from Celery 5.5; the locked 5.4 never reads it.
# file: celeryconfig.py
worker_soft_shutdown_timeout = 60

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")
# file: requirements.txt
# celery==5.4.0

# case: celery-soft-shutdown-below-grace (valid)
# file: celeryconfig.py
worker_soft_shutdown_timeout = 20

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")
