"""Cases over REST: list, detail, and the procedure's actions (GET which are allowed, POST to perform one).

A rule that blocks an action answers HTTP 409 {"code", "basis", "detail"} (zhifa.core.api_errors)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from zhifa.cases.deadlines import case_deadlines
from zhifa.cases.facts import build_facts
from zhifa.cases.models import Case
from zhifa.cases.procedure_actions import ACTIONS, perform
from zhifa.law.procedure import available_actions
from zhifa.people.models import User
from zhifa.record import access

# How to read each action's fields from JSON: name → type.
FIELD_TYPES: dict[str, str] = {
    "started_at": "datetime", "ended_at": "datetime", "started_on": "date", "released_on": "date",
    "requested_on": "date", "notified_on": "date", "held_on": "date", "served_on": "date", "paid_on": "date",
    "new_due_on": "date", "applied_on": "date", "ended_on": "date",
    "officer": "user", "replacement": "user", "chair": "user", "av_exemption_approver": "user",
    "granted": "bool", "waived": "bool", "accepted": "bool", "no_penalty": "bool", "consent_to_electronic": "bool",
    "recusal_id": "int", "measure_id": "int", "statement_id": "int", "recording_ids": "list", "kinds": "list",
    "participants": "list", "schedule": "list",
}


def _parse(name: str, value: Any, agency_id: int) -> Any:
    kind = FIELD_TYPES.get(name, "str")
    if value is None:
        return None
    if kind == "datetime":
        parsed = parse_datetime(str(value))
        if parsed is None:
            raise serializers.ValidationError({name: "需要日期时间，如 2026-11-26T09:30:00+08:00"})
        return parsed
    if kind == "date":
        parsed_date = parse_date(str(value))
        if parsed_date is None:
            raise serializers.ValidationError({name: "需要日期，如 2026-11-26"})
        return parsed_date
    if kind == "user":
        user = User.objects.filter(agency_id=agency_id, username=str(value)).first()
        if user is None:
            raise serializers.ValidationError({name: f"本机关没有用户 {value}"})
        return user
    if kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            raise serializers.ValidationError({name: "需要整数"}) from None
    if kind == "list":
        if not isinstance(value, list):
            raise serializers.ValidationError({name: "需要列表"})
        return value
    if kind == "bool":
        return bool(value)
    return str(value)


def _case(request: Request, pk: int) -> Case:
    return get_object_or_404(access.filter_cleared(Case.objects.visible_to(request.user), request.user), pk=pk)


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk, "number": case.number, "title": case.title, "agency": case.agency.name,
        "procedure": case.procedure, "stage": case.stage, "opened_at": case.opened_at.isoformat(),
        "parties": [p.name for p in case.parties.all()],
        "deadlines": [{"name": d.name, "label": d.label, "due": d.due.isoformat() if d.due else None,
                       "status": d.status, "met": d.met, "basis": d.basis, "missing_holiday_year": d.missing_year}
                      for d in case_deadlines(case)],
    }


JSON_OBJECT = OpenApiTypes.OBJECT


@extend_schema(operation_id="cases_list", responses=JSON_OBJECT)
@api_view(["GET"])
def case_list(request: Request) -> Response:
    cases = access.filter_cleared(Case.objects.visible_to(request.user), request.user).select_related("agency")
    return Response([case_summary(c) for c in cases.prefetch_related("parties")[:200]])


@extend_schema(operation_id="cases_retrieve", responses=JSON_OBJECT)
@api_view(["GET"])
def case_detail(request: Request, pk: int) -> Response:
    return Response(case_summary(_case(request, pk)))


@extend_schema(operation_id="cases_actions_list", responses=JSON_OBJECT,
               description="Every procedure action with `allowed` and, when blocked, the rule's code and basis.")
@api_view(["GET"])
def case_actions(request: Request, pk: int) -> Response:
    case = _case(request, pk)
    return Response([
        {"name": a.action, "label": a.label, "allowed": a.allowed,
         **({"code": a.block.code, "basis": a.block.basis, "detail": a.block.detail} if a.block else {})}
        for a in available_actions(build_facts(case))
    ])


@extend_schema(operation_id="cases_actions_perform", request=JSON_OBJECT,
               responses={200: JSON_OBJECT, 409: JSON_OBJECT},
               description="Perform one action; HTTP 409 {code, basis, detail} when a rule of law blocks it.")
@api_view(["POST"])
def perform_action(request: Request, pk: int, name: str) -> Response:
    case = _case(request, pk)
    if name not in ACTIONS:
        return Response({"code": "unknown_action", "basis": "", "detail": f"未知的操作：{name}"},
                        status=status.HTTP_404_NOT_FOUND)
    data = request.data if isinstance(request.data, dict) else {}
    kwargs = {key: _parse(key, value, case.agency_id) for key, value in data.items()}
    try:
        case = perform(case, request.user, name, **kwargs)
    except TypeError as exc:  # a missing or unexpected field
        return Response({"code": "bad_fields", "basis": "", "detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    return Response(case_summary(case), status=status.HTTP_200_OK)



@extend_schema(
    operation_id="payments_import", request=JSON_OBJECT, responses={200: JSON_OBJECT, 409: JSON_OBJECT},
    description="Bank confirmations (罚缴分离): a JSON list of {payment_code, amount, paid_on, reference} or a "
                "CSV body (缴款码,金额,缴款日期,银行流水号). All are recorded, or none with the errors by row.")
@api_view(["POST"])
def import_payments(request: Request) -> Response:
    from decimal import Decimal, InvalidOperation

    from zhifa.cases import payments

    if request.content_type.startswith("text/csv"):
        rows, errors = payments.parse_csv(request.body.decode("utf-8-sig", errors="replace"))
    else:
        rows, errors = [], []
        for number, item in enumerate(request.data if isinstance(request.data, list) else [], start=1):
            try:
                rows.append(payments.Confirmation(str(item["payment_code"]), Decimal(str(item["amount"])),
                                                  parse_date(str(item["paid_on"])), str(item["reference"])))
            except (KeyError, TypeError, InvalidOperation):
                errors.append(f"第{number}条：须有 payment_code、amount、paid_on（YYYY-MM-DD）、reference")
        if rows and any(row.paid_on is None for row in rows):
            errors.append("缴款日期格式应为 YYYY-MM-DD")
    if not rows and not errors:
        errors.append("没有可导入的缴款记录")
    errors = errors or payments.import_confirmations(request.user, rows)
    if errors:
        body = {"code": "payment_import_refused", "basis": "《行政处罚法》第六十七条",
                "detail": "导入未执行：" + "；".join(errors), "errors": errors}
        return Response(body, status=status.HTTP_409_CONFLICT)
    return Response({"recorded": len(rows)})
