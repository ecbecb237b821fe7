from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin
from apps.emulation.models import ContentGroup, Criterion, Pact, PactSignature


@admin.register(Pact)
class PactAdmin(ReadOnlyAdmin):
    list_display = ["title", "term", "version", "state", "signed_at"]
    list_filter = ["state"]


@admin.register(ContentGroup)
class ContentGroupAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "pact", "position"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["title", "group", "kind", "max_points", "scoring_method"]
    list_filter = ["kind", "scoring_method"]


@admin.register(PactSignature)
class PactSignatureAdmin(ReadOnlyAdmin):
    list_display = ["pact", "unit", "signed_by", "signed_at"]
