"""The Celery application. Tasks are published only through ``odp.outbox.enqueue``."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odp.settings.dev")

app = Celery("odp")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Interactive: quick jobs users wait on (notifications, relays). Batch: long snapshot and report jobs.
app.conf.task_queues = (Queue("interactive"), Queue("batch"))
app.autodiscover_tasks()
