"""The one filterset of the practice list, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.organizations.filters import _folded_contains
from apps.organizations.models import Unit
from apps.practices.choices import PracticeStatus, WorkField
from apps.practices.models import GoodPractice


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=_folded_contains("search_text"))
    year = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"),
        queryset=Unit.objects.filter(good_practices__isnull=False).distinct().order_by("sort_key"),
        empty_label=_("All"),
    )
    field = django_filters.ChoiceFilter(
        label=_("Field of work"), choices=WorkField.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PracticeStatus.choices, empty_label=_("All")
    )

    class Meta:
        model = GoodPractice
        fields = ["q", "year", "unit", "field", "status"]
