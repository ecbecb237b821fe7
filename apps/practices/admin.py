from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin
from apps.practices.models import GoodPractice, PracticeAdoption


@admin.register(GoodPractice)
class GoodPracticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "year", "field", "status"]
    list_filter = ["status", "field", "year"]
    search_fields = ["title"]


@admin.register(PracticeAdoption)
class PracticeAdoptionAdmin(ReadOnlyAdmin):
    list_display = ["practice", "unit", "adopted_on"]
