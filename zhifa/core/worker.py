"""`zhifa worker`: runs queued tasks (django-tasks-db) and enqueues the periodic jobs on schedule."""

from __future__ import annotations

import logging
import os
import threading

from django.core.management import call_command
from django.db import close_old_connections

from zhifa.env import env_int

logger = logging.getLogger(__name__)


def periodic_jobs() -> None:
    """Jobs every worker enqueues on its schedule; each is idempotent, so several workers do no harm."""
    from zhifa.record.tasks import checkpoint_task

    checkpoint_task.enqueue()
    __import__("zhifa.reports.tasks", fromlist=["enqueue_daily"]).enqueue_daily()  # last year's annual reports
    __import__("zhifa.webhooks.tasks", fromlist=["enqueue_due"]).enqueue_due()  # webhook retries that are due


def _scheduler(stop: threading.Event, interval: int) -> None:
    while not stop.wait(interval):
        try:
            periodic_jobs()
        except Exception:  # a failed enqueue must not stop the schedule
            logger.exception("periodic jobs failed")
        finally:
            close_old_connections()


def run_worker(once: bool = False) -> int:
    if once:
        from zhifa.record.checkpoints import make_checkpoint

        make_checkpoint()
        return 0
    interval = env_int("ZHIFA_CHECKPOINT_SECONDS", 30, 1)  # the issue asks for at least one a minute
    stop = threading.Event()
    periodic_jobs()
    threading.Thread(target=_scheduler, args=(stop, interval), daemon=True, name="zhifa-scheduler").start()
    try:
        call_command("db_worker", interval=1.0, worker_id=f"zhifa-{os.getpid()}")
    finally:
        stop.set()
    return 0
