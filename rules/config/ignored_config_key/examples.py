# WL105 ignored-config-key, Celery: its examples (format: workerlint/app/examples.py)

# case: celeryd-concurrency-under-the-celery-namespace (invalid)
# note: with namespace="CELERY" Celery reads CELERY_WORKER_CONCURRENCY only.
# file: shopsite/settings.py
CELERY_BROKER_URL = "redis://localhost:6379/0"
CELERYD_CONCURRENCY = 4
#^^^^^^^^^^^^^^^^^^ `CELERYD_CONCURRENCY` is an old Celery setting name: with `namespace="CELERY"` (shopsite/celery.py) Celery reads only `CELERY_WORKER_CONCURRENCY`, so this value is ignored; rename it to `CELERY_WORKER_CONCURRENCY`

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: always-eager-renamed (invalid)
# note: CELERY_ALWAYS_EAGER became task_always_eager (CELERY_TASK_ALWAYS_EAGER) in 4.0.
# file: shopsite/settings.py
CELERY_ALWAYS_EAGER = True
#^^^^^^^^^^^^^^^^^^ `CELERY_ALWAYS_EAGER` is an old Celery setting name: with `namespace="CELERY"` (shopsite/celery.py) Celery reads only `CELERY_TASK_ALWAYS_EAGER`, so this value is ignored; rename it to `CELERY_TASK_ALWAYS_EAGER`

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: broker-url-without-the-prefix (invalid)
# file: shopsite/settings.py
import os

BROKER_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
#^^^^^^^^^ `BROKER_URL` is an old Celery setting name: with `namespace="CELERY"` (shopsite/celery.py) Celery reads only `CELERY_BROKER_URL`, so this value is ignored; rename it to `CELERY_BROKER_URL`

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: old-name-beside-its-new-name (invalid)
# note: the new name is set too, so the old line only misleads a reader.
# file: shopsite/settings.py
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_SEND_TASK_SENT_EVENT = True
#^^^^^^^^^^^^^^^^^^^^^^^^^^ `CELERY_SEND_TASK_SENT_EVENT` is an old Celery setting name: with `namespace="CELERY"` (shopsite/celery.py) Celery reads only `CELERY_TASK_SEND_SENT_EVENT`, so this value is ignored; `CELERY_TASK_SEND_SENT_EVENT` is set too (shopsite/settings.py:1): delete this line

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: new-names-under-the-namespace (valid)
# file: shopsite/settings.py
CELERY_WORKER_CONCURRENCY = 4
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "redis://localhost:6379/0"

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: imports-and-timezone-are-new-names (valid)
# note: CELERY_IMPORTS and CELERY_TIMEZONE are old names and, with the prefix, new ones.
# file: shopsite/settings.py
CELERY_IMPORTS = ("shopsite.jobs",)
CELERY_TIMEZONE = "Europe/Paris"

# file: shopsite/celery.py
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
app = Celery("shopsite")
app.config_from_object("django.conf:settings", namespace="CELERY")

# case: old-names-in-celeryconfig-without-namespace (valid)
# note: without a namespace Celery still reads a configuration written in old names only.
# file: celeryconfig.py
BROKER_URL = "redis://localhost:6379/0"
CELERYD_CONCURRENCY = 4

# file: worker/app.py
from celery import Celery

app = Celery("worker")
app.config_from_object("celeryconfig")

# case: no-celery-app-reads-the-settings (valid)
# note: a Django project without Celery may have a BROKER_URL of its own.
# file: shopsite/settings.py
BROKER_URL = "redis://localhost:6379/0"
