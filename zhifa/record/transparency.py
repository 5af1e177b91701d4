"""Public transparency endpoints (no login, no event payloads): docs/transparency.md is their contract."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from zhifa.record import checkpoints, merkle, tree
from zhifa.record.crypto import profile
from zhifa.record.models import VerifierKey


def _error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "basis": "", "detail": detail}, status=status)


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()):  # str.isdigit alone takes "３" and "²"
        raise ValueError(f"{name} must be a whole number ≥ 0")
    return int(raw)


@require_GET
@cache_control(no_cache=True)
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = checkpoints.latest_checkpoint() or checkpoints.make_checkpoint()
    return HttpResponse(latest.note, content_type="text/plain; charset=utf-8")


@require_GET
def key(request: HttpRequest) -> JsonResponse:
    return JsonResponse({
        "origin": settings.ZHIFA_LOG_ORIGIN,
        "hash": profile().hash_name,
        "keys": [
            {"key": k.key_string, "algorithm": k.algorithm, "created": k.created_at.isoformat(),
             "retired": k.retired_at.isoformat() if k.retired_at else None}
            for k in VerifierKey.objects.all()
        ],
    })


def _checkpointed_size(requested: int | None) -> int:
    """A tree size a client may ask proofs for: one that has a checkpoint, or at most the built tree."""
    latest = checkpoints.latest_checkpoint()
    if requested is None:
        if latest is None:
            raise LookupError("no checkpoint yet")
        return latest.size
    if requested > tree.tree_size():
        tree.extend_tree()
        if requested > tree.tree_size():
            raise LookupError(f"the tree has fewer than {requested} leaves")
    return requested


@require_GET
def proof(request: HttpRequest, index: int) -> JsonResponse:
    try:
        size = _checkpointed_size(_int_param(request, "tree_size"))
    except ValueError as exc:
        return _error(400, "bad_parameter", str(exc))
    except LookupError as exc:
        return _error(404, "tree_too_small", str(exc))
    if index >= size:
        return _error(404, "index_out_of_range", f"leaf {index} is not in a tree of size {size}")
    # The leaf as the tree holds it (the signed checkpoints commit to the tree): a proof stays answerable, and
    # checkable, even if the event row was tampered with; `zhifa verify` is what reports such damage.
    leaf = tree.DatabaseNodeStore().get_nodes([(0, index)]).get((0, index))
    try:
        path = tree.inclusion_proof(index, size)
    except merkle.MissingNodeError:
        leaf = None
    if leaf is None:
        return _error(503, "record_damaged", f"stored tree nodes for leaf {index} are missing: run `zhifa verify`")
    return JsonResponse({
        "index": index, "tree_size": size, "hash": profile().hash_name, "leaf_hash": leaf.hex(),
        "inclusion_path": [node.hex() for node in path],
    })


@require_GET
def consistency(request: HttpRequest) -> JsonResponse:
    try:
        first = _int_param(request, "first")
        second = _checkpointed_size(_int_param(request, "second"))
    except ValueError as exc:
        return _error(400, "bad_parameter", str(exc))
    except LookupError as exc:
        return _error(404, "tree_too_small", str(exc))
    if first is None or first > second:
        return _error(400, "bad_parameter", "need 0 ≤ first ≤ second")
    return JsonResponse({
        "first": first, "second": second, "hash": profile().hash_name,
        "proof": [node.hex() for node in tree.consistency_proof(first, second)],
    })
