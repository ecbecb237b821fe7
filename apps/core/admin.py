from django.contrib import admin

from apps.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Django's admin may look but never write: every write goes through an audited service."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_repr", "action", "object_repr", "client_ip"]
    list_filter = ["action"]
    search_fields = ["actor_repr", "object_repr", "action"]
    date_hierarchy = "occurred_at"
