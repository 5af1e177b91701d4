"""One error type for blocked actions: a stable code, the legal basis and a Chinese detail; HTTP 409 in the API."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import NotAuthenticated, ValidationError

from zhifa.core.api_errors import exception_handler
from zhifa.core.errors import RuleViolation, require


def test_require_raises_rule_violation_with_code_and_basis():
    require(True, "never", "《行政处罚法》第四十二条", "不会发生")
    with pytest.raises(RuleViolation) as caught:
        require(0, "credential_required", "《行政处罚法》第四十二条", "须持有效执法证")
    error = caught.value
    assert error.as_dict() == {"code": "credential_required", "basis": "《行政处罚法》第四十二条",
                               "detail": "须持有效执法证"}
    assert str(error) == "须持有效执法证（《行政处罚法》第四十二条）"
    assert str(RuleViolation("c", "", "理由")) == "理由"


def test_api_answers_rule_violation_with_409_and_code_basis_detail():
    response = exception_handler(RuleViolation("reason_required", "实施办法", "须说明理由"), {})
    assert response.status_code == 409
    assert response.data == {"code": "reason_required", "basis": "实施办法", "detail": "须说明理由"}


def test_api_other_errors_keep_the_same_shape():
    response = exception_handler(NotAuthenticated(), {})
    assert response.status_code in {401, 403}
    assert set(response.data) == {"code", "basis", "detail"}
    assert response.data["code"] == "not_authenticated"
    response = exception_handler(ValidationError({"number": ["已存在"]}), {})
    assert response.status_code == 400 and response.data["code"] == "invalid"


def test_api_leaves_non_api_exceptions_alone():
    assert exception_handler(KeyError("x"), {}) is None


def test_key_file_created_once_by_concurrent_starts(tmp_path):
    """Processes starting together must agree on one key (a lost key would lose the data it encrypted)."""
    import os
    import threading

    from zhifa.core.keyfiles import read_or_create

    path = tmp_path / "keys" / "fields.key"
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(read_or_create(path, lambda: os.urandom(32))))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1 and path.read_bytes() == results[0]
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in path.parent.iterdir()] == ["fields.key"]
