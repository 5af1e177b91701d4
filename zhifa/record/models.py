"""Append-only tables of the record. Database triggers refuse UPDATE and DELETE (migration 0002)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.people.scoping import AgencyScopedQuerySet


class RowidKeyField(models.BigIntegerField):
    """A 64-bit integer primary key that on SQLite is the table's rowid (declared `integer PRIMARY KEY`, as Django
    does for BigAutoField): SQLite then keeps no separate key index to update on every insert, and a range of keys
    is read straight off the table in key order. `bigint PRIMARY KEY` is an ordinary column with its own index."""

    def db_type(self, connection) -> str | None:
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


class LogHead(models.Model):
    """One row: how many events the log holds. Appends bump it under its row lock (gap-free sequence)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"log size {self.size}"


class Event(models.Model):
    """One event of the log: a leaf of the Merkle tree. Its bytes are the RFC 8785 JSON of `canonical()`."""

    seq = RowidKeyField(_("序号"), primary_key=True)
    recorded_at = models.DateTimeField(_("时间"))
    # No index of its own: every lookup by actor also names the object (event_object_idx), and each index is paid
    # for on every append (bench/append_throughput.py).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT,
        related_name="+", db_constraint=False, db_index=False,
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=60, blank=True)
    credential_number = models.CharField(_("执法证号"), max_length=30, blank=True)
    agency = models.ForeignKey(
        "people.Agency", verbose_name=_("执法主体"), null=True, on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )
    case_id = models.BigIntegerField(_("案件"), null=True, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=40, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    event_type = models.CharField(_("事件类型"), max_length=60)
    payload = models.JSONField(_("内容"), default=dict)
    leaf_hash = models.BinaryField(_("叶哈希"), max_length=32)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("记录事件")
        verbose_name_plural = _("记录事件")
        indexes = [models.Index(fields=["object_type", "object_id"], name="event_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type}"


class MerkleNode(models.Model):
    """The hash of a perfect subtree: key = level << 48 | index (leaves level·index ... of RFC 9162)."""

    key = RowidKeyField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"node {self.key >> 48}/{self.key & ((1 << 48) - 1)}"


class TreeState(models.Model):
    """One row: how many leaves the stored perfect subtrees cover."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"tree size {self.size}"


class VerifierKey(models.Model):
    """A public key that signed (or signs) checkpoints; rotation adds a row and keeps the old ones."""

    name = models.CharField(max_length=120)
    key_string = models.CharField(max_length=300, unique=True)
    algorithm = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.key_string


class Checkpoint(models.Model):
    """A signed note (C2SP tlog-checkpoint) over the tree at `size`."""

    size = models.BigIntegerField(unique=True)
    root_hash = models.BinaryField(max_length=32)
    note = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["size"]
        get_latest_by = "size"

    def __str__(self) -> str:
        return f"checkpoint {self.size}"
