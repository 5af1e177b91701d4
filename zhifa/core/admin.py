from django.contrib import admin

from zhifa.core.calendar import forget
from zhifa.core.models import HolidayNotice, NoticeDay


class NoticeDayInline(admin.TabularInline):
    model = NoticeDay
    extra = 3


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(admin.ModelAdmin):
    list_display = ["year", "document_number", "published_on"]
    inlines = [NoticeDayInline]

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        forget()
