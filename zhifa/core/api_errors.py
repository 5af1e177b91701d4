"""REST error shape: a blocked rule answers HTTP 409 {"code", "basis", "detail"}."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from zhifa.core.errors import RuleViolation


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, RuleViolation):
        return Response(exc.as_dict(), status=status.HTTP_409_CONFLICT)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        detail = response.data.get("detail", response.data)
        code = getattr(detail, "code", None) or "invalid"
        response.data = {"code": str(code), "basis": "", "detail": detail}
    return response
