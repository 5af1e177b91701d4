"""Subscriptions (who receives which events, for one agency or all) and the outbox of deliveries: one row per event
per subscription, written in the transaction of the publication or withdrawal it announces. A subscription's signing
secret is sealed at rest like parties' personal data (`zhifa.core.fieldcrypto`: SM4 under `gm`, AES-GCM under
`intl`)."""

from __future__ import annotations

import base64
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core import fieldcrypto

SECRET_CONTEXT = "webhook.secret"


class EventType(models.TextChoices):
    PUBLISHED = "decision.published", _("决定公开")
    WITHDRAWN = "decision.withdrawn", _("决定撤下")


def new_secret() -> str:
    """A Standard Webhooks secret: "whsec_" + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def validate_secret(value: str) -> None:
    """whsec_ + base64 of at least 24 random bytes (Standard Webhooks)."""
    try:
        key = base64.b64decode(value.removeprefix("whsec_"), validate=True)
    except ValueError:
        key = b""
    if not value.startswith("whsec_") or len(key) < 24:
        raise ValidationError(_("密钥应为 whsec_ 加至少24字节随机数的 Base64 编码（留空自动生成）。"))


def validate_events(value: list) -> None:
    if not isinstance(value, list) or not value or any(event not in EventType.values for event in value):
        raise ValidationError(_("推送事件应为列表，取值：%(events)s") % {"events": "、".join(EventType.values)})


def all_events() -> list[str]:
    return list(EventType.values)


class Subscription(models.Model):
    name = models.CharField(_("接收方"), max_length=100, help_text=_("如：湖南省行政执法公示平台"))
    agency = models.ForeignKey("people.Agency", verbose_name=_("执法机关"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", help_text=_("留空为全部执法机关"))
    url = models.URLField(_("接收地址"), max_length=500)
    secret_sealed = models.BinaryField(_("签名密钥（加密）"), blank=True, default=b"", editable=False)
    events = models.JSONField(_("推送事件"), default=all_events, validators=[validate_events],
                              help_text=_('如 ["decision.published", "decision.withdrawn"]'))
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("推送订阅")
        verbose_name_plural = _("推送订阅")

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # never the secret
        return f"<Subscription {self.pk} {self.name}>"

    def save(self, *args, **kwargs) -> None:
        if not self.secret_sealed:
            self.secret = new_secret()
        super().save(*args, **kwargs)

    @property
    def secret(self) -> str:
        """The Standard Webhooks secret ("whsec_…"), given to the receiver to verify signatures."""
        return fieldcrypto.decrypt(self.secret_sealed, SECRET_CONTEXT)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_sealed = fieldcrypto.encrypt(value, SECRET_CONTEXT)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待推送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("推送失败（已停止重试）")


class Delivery(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="deliveries")
    publication = models.ForeignKey("disclosure.Publication", on_delete=models.PROTECT, related_name="+")
    event = models.CharField(_("事件"), max_length=40, choices=EventType.choices)
    message_id = models.CharField(_("消息编号"), max_length=40, unique=True)
    payload = models.JSONField(_("推送内容"))
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")

    def __str__(self) -> str:
        return f"{self.message_id} {self.event}"
