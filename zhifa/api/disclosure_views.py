"""Decisions made in other systems, imported over REST into the publication pipeline (issue 7 §1)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from zhifa.disclosure import imports
from zhifa.disclosure.actions import BASIS_PUBLISH


@extend_schema(
    operation_id="decisions_import", request=OpenApiTypes.OBJECT,
    responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    description="A JSON list of {document_number, act_type, target, target_kind, conclusion, decided_on, text, "
                "category} or a text/csv body with the columns of the Excel template (文号,执法类别,执法对象,对象类型,"
                "执法结论,决定日期,决定全文,事项或领域). All rows become drafts awaiting redaction review, or none: "
                "HTTP 400 with errors [{row, field, column, message}].")
@api_view(["POST"])
def import_decisions(request: Request) -> Response:
    try:
        if request.content_type.startswith("text/csv"):
            records = imports.records_from_csv(request.body)
        else:
            records = imports.records_from_json(request.data)
        created = imports.import_decisions(request.user, records)
    except imports.ImportFailed as failure:
        body = {"code": "decision_import_refused", "basis": BASIS_PUBLISH,
                "detail": "导入未执行：" + "；".join(str(e) for e in failure.errors[:20]),
                "errors": imports.error_dicts(failure.errors)}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return Response({"imported": len(created), "publications": [
        {"id": p.pk, "document_number": p.document_number, "status": p.status, "due_on": p.due_on.isoformat()}
        for p in created]}, status=status.HTTP_201_CREATED)
