"""The only way people-data changes: each action checks its rules and appends its event in one transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.core.errors import require
from zhifa.people.models import Credential, CredentialStatus, User
from zhifa.record import log

BASIS_CREDENTIAL = "《行政处罚法》第四十二条；实施办法二(一)2"


@transaction.atomic
def login_failed(user: User) -> bool:
    """Count a failed password; lock the account after ZHIFA_LOGIN_MAX_FAILURES. Returns True if now locked."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.failed_logins += 1
    locked = user.failed_logins >= settings.ZHIFA_LOGIN_MAX_FAILURES
    if locked:
        user.locked_until = timezone.now() + dt.timedelta(minutes=settings.ZHIFA_LOGIN_LOCK_MINUTES)
        user.failed_logins = 0
    user.save(update_fields=["failed_logins", "locked_until"])
    if locked:
        log.append("people.account_locked", actor=None, agency=user.agency, obj=user,
                   payload={"username": user.username, "until": user.locked_until})
    return locked


@transaction.atomic
def login_succeeded(user: User, second_factor: bool) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    log.append("people.login", actor=user, agency=user.agency, obj=user, payload={"second_factor": second_factor})


@transaction.atomic
def issue_credential(
    actor: User, holder: User, number: str, fields: list[str], issuing_authority: str,
    valid_from: dt.date, valid_to: dt.date,
) -> Credential:
    require(holder.agency_id, "holder_without_agency", BASIS_CREDENTIAL, "持证人须属于一个执法主体")
    require(valid_to >= valid_from, "credential_dates_reversed", BASIS_CREDENTIAL, "有效期止日不得早于起日")
    require(fields, "credential_without_field", BASIS_CREDENTIAL, "执法证须注明执法类别")
    require(not Credential.objects.filter(number=number).exists(), "credential_number_taken", BASIS_CREDENTIAL,
            f"执法证号 {number} 已存在")
    credential = Credential.objects.create(
        holder=holder, agency_id=holder.agency_id, number=number, fields=fields,
        issuing_authority=issuing_authority, valid_from=valid_from, valid_to=valid_to,
    )
    log.append("people.credential_issued", actor=actor, agency=holder.agency, obj=credential,
               payload={"number": number, "holder": holder.get_full_name(), "fields": fields,
                        "valid_from": valid_from, "valid_to": valid_to})
    return credential


@transaction.atomic
def set_credential_status(actor: User, credential: Credential, status: str, reason: str) -> Credential:
    """暂扣 (suspend), 注销 (revoke) or restore a credential; a revoked one never comes back."""
    require(status in {CredentialStatus.VALID, CredentialStatus.SUSPENDED, CredentialStatus.REVOKED},
            "credential_status_unknown", BASIS_CREDENTIAL, "执法证状态只能是有效、暂扣或注销")
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    require(credential.stored_status != CredentialStatus.REVOKED, "credential_revoked", BASIS_CREDENTIAL,
            "已注销的执法证不能恢复或变更")
    require(reason.strip(), "reason_required", BASIS_CREDENTIAL, "变更执法证状态须说明理由")
    before = credential.stored_status
    credential.stored_status = status
    credential.save(update_fields=["stored_status"])
    log.append("people.credential_status_changed", actor=actor, agency=credential.agency, obj=credential,
               payload={"number": credential.number, "from": before, "to": status, "reason": reason})
    return credential
