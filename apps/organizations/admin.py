from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin
from apps.organizations.models import (
    Cluster,
    ClusterTerm,
    Province,
    ProvinceSuccession,
    Sector,
    TermMembership,
    Unit,
    UnitSuccession,
)


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "scheme", "cccd_code", "kind", "valid_from", "valid_to"]
    list_filter = ["scheme", "kind"]
    search_fields = ["search_name", "code", "cccd_code"]


@admin.register(ProvinceSuccession)
class ProvinceSuccessionAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "effective_date"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "short_name", "kind", "province", "active_from", "active_to"]
    list_filter = ["kind"]
    search_fields = ["search_name"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "effective_date", "legal_basis"]


@admin.register(Sector)
class SectorAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "head_unit"]


@admin.register(Cluster)
class ClusterAdmin(ReadOnlyAdmin):
    list_display = ["name", "sector", "kind", "number"]


class MembershipInline(admin.TabularInline):
    model = TermMembership
    fields = ["unit", "role"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ClusterTerm)
class ClusterTermAdmin(ReadOnlyAdmin):
    list_display = ["cluster", "year", "host", "review_date"]
    list_filter = ["year"]
    inlines = [MembershipInline]
