"""Background tasks of the record."""

from django.tasks import task

from zhifa.record.checkpoints import make_checkpoint


@task()
def checkpoint_task() -> int:
    """Extend the tree and sign a checkpoint when the log grew (enqueued every minute by the worker)."""
    return make_checkpoint().size
