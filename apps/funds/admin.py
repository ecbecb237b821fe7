from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin
from apps.funds.models import FundAttachment, FundEntry


@admin.register(FundEntry)
class FundEntryAdmin(ReadOnlyAdmin):
    list_display = ["term", "number", "kind", "unit", "amount", "occurred_on", "reverses"]
    list_filter = ["kind"]
    search_fields = ["purpose", "beneficiary", "unit__name"]


@admin.register(FundAttachment)
class FundAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["entry", "kind", "original_name", "size", "uploaded_at"]
