"""Attempt limits for the public forms, in Django's cache (fixed windows: the first counted attempt opens one).

A key is locked once it holds `limit` counted attempts; it opens again when the window ends. Callers check
`locked()` BEFORE looking at the answer, so a right code typed during the lock still has to wait.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    scope: str  # e.g. "progress"
    limit: int
    minutes: int

    def _key(self, kind: str, value: str) -> str:
        digest = hashlib.sha256(value.encode()).hexdigest()[:32]
        return f"zhifa:limit:{self.scope}:{kind}:{digest}"

    def count(self, kind: str, value: str) -> int:
        return int(cache.get(self._key(kind, value), 0))

    def locked(self, **keys: str) -> bool:
        """True if any of the keys (e.g. ip=…, case=…) has used up its attempts."""
        return any(self.count(kind, value) >= self.limit for kind, value in keys.items() if value)

    def hit(self, **keys: str) -> None:
        """Count one attempt against every key."""
        for kind, value in keys.items():
            if not value:
                continue
            key = self._key(kind, value)
            cache.add(key, 0, timeout=self.minutes * 60)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=self.minutes * 60)

    def reset(self, **keys: str) -> None:
        for kind, value in keys.items():
            cache.delete(self._key(kind, value))


PROGRESS_QUERY = Limit("progress", limit=5, minutes=15)  # wrong case number / query code
COMPLAINT_QUERY = Limit("complaint-query", limit=5, minutes=15)  # wrong acknowledgement number / secret
COMPLAINT_SUBMIT = Limit("complaint-submit", limit=5, minutes=60)  # complaints sent from one address


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind the platform's reverse proxy (ZHIFA_BEHIND_PROXY), the last hop the proxy
    appended to X-Forwarded-For; otherwise the socket's peer (a client-sent header is never trusted)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
