"""Signed webhooks on publication and withdrawal: outbox rows in the action's transaction, delivered to a real HTTP
server on 127.0.0.1, Standard Webhooks signatures, retries with backoff, nothing sent after a rollback."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import logging
import threading
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from zhifa.core import fieldcrypto
from zhifa.disclosure import actions
from zhifa.webhooks import delivery as sender
from zhifa.webhooks import signing
from zhifa.webhooks.models import SECRET_CONTEXT, Delivery, DeliveryStatus, Subscription
from zhifa.webhooks.tasks import enqueue_due

from ..disclosure.test_pipeline import decided, person_case

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server: records every request; answers the queued status codes (then 204)."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def subscription(receiver, team) -> Subscription:
    return Subscription.objects.create(name="湖南省行政执法公示平台", url=receiver.url)


def test_publish_writes_a_delivery_and_sends_a_signed_public_summary(team, subscription, receiver,
                                                                     django_capture_on_commit_callbacks) -> None:
    publication = decided(person_case(team), team)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish(publication, team.head)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    headers, body = receiver.requests[0]
    # verified with the Standard Webhooks reference library, as a receiver would
    payload = Webhook(subscription.secret).verify(body, headers)
    assert payload["type"] == "decision.published"
    data = payload["data"]
    assert data["id"] == publication.pk and data["url"].endswith(f"/public/decisions/{publication.pk}/")
    assert data["document_number"] == publication.document_number and data["status"] == "published"
    assert data["agency"]["name"] == team.head.agency.name and data["act_type"] == "penalty"
    text = body.decode()
    assert "张三丰" in text  # the punished person's own name is public (default policy)
    for private in ("13912345678", "建设路18号", "430212198001011"):
        assert private not in text
    assert headers["webhook-id"] == delivery.message_id


KNOWN_SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _stored_row(pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM webhooks_subscription WHERE id = %s", [pk])
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_secret_is_sealed_at_rest_and_still_signs(team, receiver, django_capture_on_commit_callbacks) -> None:
    created = Subscription.objects.create(name="湖南省行政执法公示平台", url=receiver.url, secret=KNOWN_SECRET)
    row = _stored_row(created.pk)
    assert "secret" not in row  # no clear column left
    stored = b"".join(bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in row.values())
    key = signing.secret_bytes(KNOWN_SECRET)
    assert KNOWN_SECRET.removeprefix("whsec_").encode() not in stored and key not in stored
    assert fieldcrypto.decrypt(row["secret_sealed"], SECRET_CONTEXT) == KNOWN_SECRET
    assert Subscription.objects.get(pk=created.pk).secret == KNOWN_SECRET
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish(decided(person_case(team), team), team.head)
    headers, body = receiver.requests[0]
    assert Webhook(KNOWN_SECRET).verify(body, headers)["type"] == "decision.published"
    assert signing.verify(KNOWN_SECRET, headers["webhook-id"], int(headers["webhook-timestamp"]), body,
                          headers["webhook-signature"])


def test_a_new_subscription_gets_a_generated_sealed_secret(team) -> None:
    subscription = Subscription.objects.create(name="平台", url="https://gs.hunan.example/hook")
    secret = Subscription.objects.get(pk=subscription.pk).secret
    assert secret.startswith("whsec_") and len(signing.secret_bytes(secret)) == 32
    assert secret.encode() not in bytes(_stored_row(subscription.pk)["secret_sealed"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="migrating back and forth inside a test's transaction "
                    "needs transactional DDL (PostgreSQL)")
def test_migration_seals_existing_clear_secrets() -> None:
    executor = MigrationExecutor(connection)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor.migrate([("webhooks", "0001_initial")])
    Old = executor.loader.project_state([("webhooks", "0001_initial")]).apps.get_model("webhooks", "Subscription")
    old = Old.objects.create(name="旧订阅", url="https://gs.hunan.example/hook", secret=KNOWN_SECRET)
    executor = MigrationExecutor(connection)
    executor.migrate([("webhooks", "0002_seal_secret")])
    row = _stored_row(old.pk)
    assert "secret" not in row and KNOWN_SECRET.encode() not in bytes(row["secret_sealed"])
    assert Subscription.objects.get(pk=old.pk).secret == KNOWN_SECRET
    executor = MigrationExecutor(connection)
    executor.migrate([("webhooks", "0001_initial")])  # and back: the clear column is restored from the sealed one
    assert _stored_row(old.pk)["secret"] == KNOWN_SECRET
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def test_signature_is_hmac_sha256_over_id_timestamp_body() -> None:
    secret = KNOWN_SECRET
    signature = signing.sign(secret, "msg_1", 1_700_000_000, b'{"a":1}')
    assert signing.verify(secret, "msg_1", 1_700_000_000, b'{"a":1}', f"v1,bad {signature}")
    assert not signing.verify(secret, "msg_1", 1_700_000_001, b'{"a":1}', signature)
    assert not signing.verify(secret, "msg_1", 1_700_000_000, b'{"a":2}', signature)


def test_withdrawal_sends_reason_and_kind(case, team, subscription, receiver,
                                          django_capture_on_commit_callbacks) -> None:
    publication = actions.publish(decided(case, team), team.head)
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw(publication, team.head, kind="revoked", reason="经行政复议撤销",
                         decided_on=timezone.localdate())
    payload = Webhook(subscription.secret).verify(*reversed(receiver.requests[-1]))
    assert payload["type"] == "decision.withdrawn" and payload["data"]["status"] == "withdrawn"
    assert payload["data"]["withdrawal"]["kind"] == "revoked"
    assert payload["data"]["withdrawal"]["reason"] == "经行政复议撤销"
    assert payload["data"]["conclusion"] == ""


def test_server_error_is_retried_with_exponential_backoff(case, team, subscription, receiver, caplog) -> None:
    receiver.statuses = [500, 503]
    publication = actions.publish(decided(case, team), team.head)
    delivery = Delivery.objects.get(publication=publication)
    start = timezone.now()
    with caplog.at_level(logging.WARNING, logger="zhifa.webhooks"):
        assert sender.deliver(delivery.pk, start) == DeliveryStatus.PENDING
        delivery.refresh_from_db()
        assert delivery.attempts == 1 and delivery.last_status_code == 500 and delivery.last_error == "HTTP 500"
        assert delivery.next_attempt_at == start + dt.timedelta(seconds=30)
        assert sender.deliver(delivery.pk, start + dt.timedelta(seconds=10)) == DeliveryStatus.PENDING  # not due
        assert len(receiver.requests) == 1
        assert sender.deliver(delivery.pk, start + dt.timedelta(seconds=30)) == DeliveryStatus.PENDING
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == start + dt.timedelta(seconds=30 + 60)
        assert sender.deliver(delivery.pk, start + dt.timedelta(seconds=90)) == DeliveryStatus.DELIVERED
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.last_error == "" and len(receiver.requests) == 3
    ids = {headers["webhook-id"] for headers, _body in receiver.requests}
    assert ids == {delivery.message_id}  # the same message id on every attempt: receivers de-duplicate by it
    assert "HTTP 500" in caplog.text
    assert subscription.secret not in caplog.text and subscription.secret.removeprefix("whsec_") not in caplog.text


def test_gives_up_after_max_attempts_keeping_the_last_error(case, team, receiver) -> None:
    Subscription.objects.create(name="停用的平台", url="http://127.0.0.1:9/closed")  # discard port: refused
    publication = actions.publish(decided(case, team), team.head)
    delivery = Delivery.objects.get(publication=publication)
    now = timezone.now()
    for _attempt in range(sender.MAX_ATTEMPTS):
        sender.deliver(delivery.pk, now)
        now += sender.MAX_RETRY_SECONDS * dt.timedelta(seconds=1)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == sender.MAX_ATTEMPTS
    assert "Error" in delivery.last_error and delivery.next_attempt_at is None


def test_no_delivery_when_the_publish_transaction_rolls_back(case, team, subscription, receiver,
                                                             django_capture_on_commit_callbacks) -> None:
    publication = decided(case, team)
    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        actions.publish(publication, team.head)
        raise RuntimeError("a later step of the same transaction failed")
    assert callbacks == [] and not Delivery.objects.exists() and receiver.requests == []


def test_subscription_filters_agency_and_events(case, team, make_agency, receiver,
                                                django_capture_on_commit_callbacks) -> None:
    Subscription.objects.create(name="他机关", url=receiver.url, agency=make_agency())
    Subscription.objects.create(name="只收撤下", url=receiver.url, events=["decision.withdrawn"])
    Subscription.objects.create(name="已停用", url=receiver.url, active=False)
    mine = Subscription.objects.create(name="本机关", url=receiver.url, agency=team.head.agency,
                                       events=["decision.published"])
    actions.publish(decided(case, team), team.head)
    assert [d.subscription for d in Delivery.objects.all()] == [mine]


def test_worker_schedule_enqueues_due_deliveries(case, team, subscription, receiver) -> None:
    actions.publish(decided(case, team), team.head)  # the on-commit enqueue never runs inside a test transaction
    assert enqueue_due() == 1  # the immediate backend of the tests runs it at once
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED
    assert enqueue_due() == 0
    assert json.loads(receiver.requests[0][1])["type"] == "decision.published"


def test_worker_schedule_includes_webhook_retries(monkeypatch) -> None:
    from zhifa.core import worker
    from zhifa.record import tasks as record_tasks
    from zhifa.reports import tasks as report_tasks
    from zhifa.webhooks import tasks as webhook_tasks

    calls = []
    monkeypatch.setattr(record_tasks, "checkpoint_task", SimpleNamespace(enqueue=lambda: calls.append("checkpoint")))
    monkeypatch.setattr(report_tasks, "enqueue_daily", lambda: calls.append("reports"))
    monkeypatch.setattr(webhook_tasks, "enqueue_due", lambda: calls.append("webhooks"))
    worker.periodic_jobs()
    assert calls == ["checkpoint", "reports", "webhooks"]


def test_admin_manages_subscriptions_and_shows_deliveries_read_only(make_user, client) -> None:
    admin = make_user(None, role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/webhooks/subscription/add/").status_code == 200
    response = client.post("/admin/webhooks/subscription/add/", {
        "name": "湖南省行政执法公示平台", "url": "https://gs.hunan.example/hook", "secret": "whsec_" + "A" * 44,
        "events": '["decision.published"]', "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    subscription = Subscription.objects.get()
    assert subscription.events == ["decision.published"] and subscription.secret == "whsec_" + "A" * 44
    form = {"name": "湖南省行政执法公示平台", "url": "https://gs.hunan.example/hook2",
            "events": '["decision.published"]', "active": "on"}
    page = client.get(f"/admin/webhooks/subscription/{subscription.pk}/change/").content.decode()
    assert "whsec_" + "A" * 44 in page  # shown to the administrator, who hands it to the receiver
    response = client.post(f"/admin/webhooks/subscription/{subscription.pk}/change/", form | {"secret": ""})
    assert response.status_code == 302 and Subscription.objects.get().secret == "whsec_" + "A" * 44  # kept
    response = client.post("/admin/webhooks/subscription/add/", form | {"name": "另一平台", "secret": ""})
    assert response.status_code == 302
    assert Subscription.objects.get(name="另一平台").secret.startswith("whsec_")  # generated
    assert client.get("/admin/webhooks/delivery/").status_code == 200
    assert client.get("/admin/webhooks/delivery/add/").status_code == 403


def test_admin_refuses_a_weak_secret_or_unknown_event(make_user, client) -> None:
    client.force_login(make_user(None, role="admin", is_staff=True, is_superuser=True))
    form = {"name": "平台", "url": "https://gs.hunan.example/hook", "secret": "whsec_c2hvcnQ=",
            "events": '["decision.published"]', "active": "on"}
    html = client.post("/admin/webhooks/subscription/add/", form).content.decode()
    assert "至少24字节" in html
    html = client.post("/admin/webhooks/subscription/add/", form | {"secret": "whsec_" + "A" * 44,
                                                                    "events": '["decision.deleted"]'}).content.decode()
    assert "推送事件应为列表" in html and not Subscription.objects.exists()
