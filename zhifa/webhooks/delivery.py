"""Sending one delivery: POST the JSON with its Standard Webhooks headers; 2xx = delivered, anything else is retried
with exponential backoff until MAX_ATTEMPTS, keeping the status and the last error. The secret is never logged."""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from zhifa.webhooks import signing
from zhifa.webhooks.models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 30  # then 60, 120, … (capped): the last retry about an hour after the first attempt
MAX_RETRY_SECONDS = 3600
TIMEOUT_SECONDS = 10
LEASE_SECONDS = 60  # longer than a request may take


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff after `attempts` failed attempts."""
    return dt.timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), MAX_RETRY_SECONDS))


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is an error: the signed POST must reach the URL given
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "zhifa-webhooks/1", **headers})
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def deliver(delivery_id: int, now: dt.datetime | None = None) -> str:
    """Attempt a due delivery once. Idempotent: a delivered, failed or not yet due one is left alone, and a short
    lease keeps a second worker off while the request is under way (outside any transaction)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("subscription").get(pk=delivery_id)
        if delivery.status != DeliveryStatus.PENDING or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return delivery.status
        delivery.next_attempt_at = now + dt.timedelta(seconds=LEASE_SECONDS)
        delivery.save(update_fields=["next_attempt_at"])
    subscription = delivery.subscription
    body = body_of(delivery)
    error, code = "", None
    try:
        code = post(subscription.url, body, signing.headers(subscription.secret, delivery.message_id,
                                                            int(now.timestamp()), body))
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except (OSError, ValueError) as exc:  # refused, timeout, DNS, TLS, bad URL
        error = f"{type(exc).__name__}: {exc}"[:500]
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_error = code, error
        host = urlsplit(subscription.url).netloc
        if not error:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.DELIVERED, now, None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            logger.error("webhook %s to %s failed for good after %d attempts: %s", delivery.message_id, host,
                         delivery.attempts, error)
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
            logger.warning("webhook %s to %s failed (attempt %d), retry at %s: %s", delivery.message_id, host,
                           delivery.attempts, delivery.next_attempt_at.isoformat(), error)
        delivery.save()
        return delivery.status


def due(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at").values_list("pk", flat=True)[:500])
