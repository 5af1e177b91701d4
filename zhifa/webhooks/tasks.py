"""Background delivery (django-tasks): each delivery is enqueued when its transaction commits; the worker's schedule
re-enqueues the pending ones whose retry is due (and any whose enqueue was lost)."""

from __future__ import annotations

from django.tasks import task

from zhifa.webhooks.delivery import deliver, due


@task()
def deliver_webhook_task(delivery_id: int) -> str:
    return deliver(delivery_id)


def enqueue_due() -> int:
    """Called by the worker's schedule (zhifa.core.worker.periodic_jobs)."""
    ids = due()
    for delivery_id in ids:
        deliver_webhook_task.enqueue(delivery_id)
    return len(ids)
