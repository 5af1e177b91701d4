"""REST API: `POST /api/v1/evidence/` (multipart upload), `GET /api/v1/evidence/[?case=ID]`,
`GET /api/v1/evidence/<id>/` (an access event; `?reason=` for a marked file) and `GET …/<id>/content` (download,
HTTP Range; an access event). Blocked rules answer 409 {"code", "basis", "detail"}."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.cases.models import Case
from zhifa.core.models import Confidentiality
from zhifa.evidence import actions, store, uploads
from zhifa.evidence.access import open_evidence, visible_evidence
from zhifa.evidence.models import EvidenceFile, EvidenceKind, ProcedureStage, RecordingDevice
from zhifa.evidence.views import _serve, body_too_large
from zhifa.people.models import User

LIST_LIMIT = 500


class EvidenceSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)
    device = serializers.CharField(source="device.serial_number", default=None, read_only=True)
    officer_name = serializers.CharField(source="officer.get_full_name", read_only=True)
    content_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "agency", "case", "case_number", "kind", "title", "original_name", "content_type", "size",
                  "sha256", "log_hash", "log_hash_algorithm", "captured_at", "device", "officer", "officer_name",
                  "latitude", "longitude", "stage", "activity", "duration_seconds", "codec", "width", "height",
                  "confidentiality", "supersedes", "uploaded_by", "uploaded_at", "content_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_content_url(self, evidence: EvidenceFile) -> str:
        request = self.context["request"]
        namespace = request.resolver_match.namespace if request.resolver_match else ""
        return reverse(f"{namespace}:content" if namespace else "content", args=[evidence.pk])


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none(), required=False, allow_null=True,
                                              default=None)
    device = serializers.SlugRelatedField(slug_field="serial_number", queryset=RecordingDevice.objects.none(),
                                          required=False, allow_null=True, default=None)
    officer = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False, allow_null=True,
                                                 default=None)
    captured_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         default=None)
    stage = serializers.ChoiceField(choices=ProcedureStage.choices, default=ProcedureStage.INVESTIGATION)
    activity = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, required=False, allow_null=True,
                                              default=None)

    def __init__(self, *args, user: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user is None:  # the schema generator's instance: no choices at all
            return
        self.fields["case"].queryset = Case.objects.visible_to(user)
        self.fields["device"].queryset = RecordingDevice.objects.visible_to(user)
        self.fields["officer"].queryset = User.objects.visible_to(user)


class _EvidenceAPIView(APIView):
    def get_object(self, request: Request, pk: int) -> EvidenceFile:
        return get_object_or_404(visible_evidence(request.user), pk=pk)


class EvidenceListCreate(_EvidenceAPIView):
    parser_classes = [MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        if request.method == "POST":
            uploads.use_evidence_handler(request)  # before authentication parses the body for its CSRF check
        return super().initialize_request(request, *args, **kwargs)

    def initial(self, request: Request, *args, **kwargs) -> None:
        django_user = getattr(request._request, "user", None)
        if request.method == "POST" and django_user is not None and django_user.is_authenticated \
                and body_too_large(request._request):
            raise store.too_large(settings.ZHIFA_EVIDENCE_MAX_BYTES)
        super().initial(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            uploads.cleanup(request)

    @extend_schema(responses=EvidenceSerializer(many=True),
                   parameters=[OpenApiParameter("case", int, description="案件编号（id）")])
    def get(self, request: Request) -> Response:
        rows = visible_evidence(request.user).current()
        case = request.query_params.get("case", "")
        if case:
            if not case.isdigit():
                raise Http404
            rows = rows.filter(case_id=int(case))
        serializer = EvidenceSerializer(rows[:LIST_LIMIT], many=True, context={"request": request})
        return Response(serializer.data)

    @extend_schema(request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={201: EvidenceSerializer})
    def post(self, request: Request) -> Response:
        data = request.data  # parsed by the evidence upload handler
        refused = uploads.rejections(request._request)
        if refused:
            raise refused[0]
        serializer = EvidenceUploadSerializer(data=data, user=request.user)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        uploaded = values.pop("file")
        evidence = actions.add_evidence(request.user, uploaded, **values)
        return Response(EvidenceSerializer(evidence, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


REASON = OpenApiParameter("reason", str, description="查阅事由（标记为国家秘密、商业秘密、个人隐私的证据必填）")


class EvidenceDetail(_EvidenceAPIView):
    @extend_schema(responses=EvidenceSerializer, parameters=[REASON])
    def get(self, request: Request, pk: int) -> Response:
        evidence = self.get_object(request, pk)
        open_evidence(request.user, evidence, action="viewed", reason=request.query_params.get("reason", ""))
        return Response(EvidenceSerializer(evidence, context={"request": request}).data)


class EvidenceContent(_EvidenceAPIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                              (206, "application/octet-stream"): OpenApiTypes.BINARY},
                   parameters=[REASON], description="原件下载，支持 HTTP Range（单一区间）。")
    def get(self, request: Request, pk: int):
        evidence = self.get_object(request, pk)
        open_evidence(request.user, evidence, action="downloaded", reason=request.query_params.get("reason", ""))
        return _serve(request._request, evidence, attachment=True)
