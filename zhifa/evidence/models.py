"""Recording devices and evidence files (音像记录, photos, electronic data, scans).

Evidence rows are append-only (migration 0002: triggers refuse UPDATE and DELETE); a correction is a new row that
`supersedes` the old one. The bytes live in the "evidence" storage under a content-addressed key, written once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.core.models import Confidentiality
from zhifa.people.scoping import AgencyScopedQuerySet

# What browsers play in <img>, <video> and <audio>; other types are offered for download.
BROWSER_IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/avif"})
BROWSER_VIDEOS = frozenset({"video/mp4", "video/webm", "video/ogg", "video/quicktime"})
BROWSER_AUDIO = frozenset({"audio/mpeg", "audio/mp4", "audio/aac", "audio/wav", "audio/ogg", "audio/flac",
                           "audio/webm"})


class DeviceKind(models.TextChoices):
    BODY_CAMERA = "body_camera", _("执法记录仪")
    CAMERA = "camera", _("照相机")
    RECORDER = "recorder", _("录音笔")
    MOBILE = "mobile", _("移动终端")
    SURVEILLANCE = "surveillance", _("监控设备")


class RecordingDevice(models.Model):
    """A device that makes AV records, registered to an agency with the person who keeps it (实施办法二(二)2)."""

    agency = models.ForeignKey("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="recording_devices")
    kind = models.CharField(_("设备类型"), max_length=20, choices=DeviceKind.choices)
    serial_number = models.CharField(_("设备编号"), max_length=60, unique=True)
    name = models.CharField(_("名称型号"), max_length=100)
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("保管人"), on_delete=models.PROTECT,
                                  related_name="recording_devices")
    active = models.BooleanField(_("在用"), default=True)
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "serial_number"]
        verbose_name = _("音像记录设备")
        verbose_name_plural = _("音像记录设备")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial_number}"


class EvidenceKind(models.TextChoices):
    """证据种类 (《行政处罚法》第四十六条)."""

    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    PARTY_STATEMENT = "party_statement", _("当事人的陈述")
    EXPERT_OPINION = "expert_opinion", _("鉴定意见")
    INSPECTION_RECORD = "inspection_record", _("勘验笔录")
    ON_SITE_RECORD = "on_site_record", _("现场笔录")


class ProcedureStage(models.TextChoices):
    """执法程序环节 recorded in full (《行政处罚法》第四十七条)."""

    INITIATION = "initiation", _("启动")
    INVESTIGATION = "investigation", _("调查取证")
    DECISION = "decision", _("审核决定")
    SERVICE = "service", _("送达执行")


class EvidenceQuerySet(AgencyScopedQuerySet):
    def current(self) -> EvidenceQuerySet:
        """Rows not superseded by a correction."""
        return self.filter(superseded_by__isnull=True)


class EvidenceFile(models.Model):
    """One evidence file: its bytes' hashes, where they are stored, and how they were captured."""

    agency = models.ForeignKey("people.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="evidence_files")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="evidence_files")
    kind = models.CharField(_("证据种类"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=120)
    size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    log_hash = models.CharField(_("存证哈希"), max_length=128)
    log_hash_algorithm = models.CharField(_("存证哈希算法"), max_length=10)
    storage_key = models.CharField(_("存储键"), max_length=200)
    captured_at = models.DateTimeField(_("采集时间"), null=True, blank=True)
    device = models.ForeignKey(RecordingDevice, verbose_name=_("记录设备"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="evidence_files")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("采集人员"), on_delete=models.PROTECT,
                                related_name="+")
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    stage = models.CharField(_("执法环节"), max_length=20, choices=ProcedureStage.choices,
                             default=ProcedureStage.INVESTIGATION)
    activity = models.CharField(_("执法活动"), max_length=100, blank=True, help_text=_("如“现场检查”“询问”"))
    duration_seconds = models.FloatField(_("时长（秒）"), null=True, blank=True)
    codec = models.CharField(_("编码"), max_length=60, blank=True)
    width = models.PositiveIntegerField(_("宽"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高"), null=True, blank=True)
    thumbnail_key = models.CharField(_("缩略图存储键"), max_length=200, blank=True)
    confidentiality = models.CharField(_("密级标识"), max_length=20, choices=Confidentiality.choices,
                                       default=Confidentiality.NONE)
    supersedes = models.OneToOneField("self", verbose_name=_("更正的记录"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")
    correction_reason = models.CharField(_("更正理由"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("证据文件")
        verbose_name_plural = _("证据文件")
        indexes = [models.Index(fields=["case", "uploaded_at"], name="evidence_case_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def media_kind(self) -> str:
        """How the detail page shows it: "image", "video", "audio", "pdf" or "" (download only)."""
        mime = self.content_type.split(";", 1)[0]
        if mime in BROWSER_IMAGES:
            return "image"
        if mime in BROWSER_VIDEOS:
            return "video"
        if mime in BROWSER_AUDIO:
            return "audio"
        return "pdf" if mime == "application/pdf" else ""

    @property
    def marked(self) -> bool:
        return self.confidentiality != Confidentiality.NONE
