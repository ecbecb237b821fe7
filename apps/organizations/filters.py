"""Filtersets shared by the UI lists and the API (one definition of every filter)."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.text import fold
from apps.organizations.choices import ClusterKind, ProvinceScheme, UnitKind
from apps.organizations.models import Cluster, ClusterTerm, Province, Unit


def _folded_contains(field: str):
    def method(queryset, name, value):
        folded = fold(value)
        return queryset.filter(**{f"{field}__contains": folded}) if folded else queryset

    return method


class ProvinceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    scheme = django_filters.ChoiceFilter(
        label=_("Scheme"), choices=ProvinceScheme.choices, empty_label=_("All")
    )

    class Meta:
        model = Province
        fields = ["q", "scheme"]

    def filter_q(self, queryset, name, value):
        folded = fold(value)
        if not folded:
            return queryset
        code = value.strip()
        return queryset.filter(Q(search_name__contains=folded) | Q(code=code) | Q(cccd_code=code))


class UnitFilter(django_filters.FilterSet):
    STATUS_CHOICES = (("active", _("Active")), ("inactive", _("Ceased")))

    q = django_filters.CharFilter(label=_("Search"), method=_folded_contains("search_name"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=UnitKind.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.all(), empty_label=_("All")
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "status", "province"]

    def filter_status(self, queryset, name, value):
        today = dt.date.today()
        active = (Q(active_from__isnull=True) | Q(active_from__lte=today)) & (
            Q(active_to__isnull=True) | Q(active_to__gte=today)
        )
        if value == "active":
            return queryset.filter(active)
        if value == "inactive":
            return queryset.exclude(active)
        return queryset


class ClusterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=_folded_contains("search_name"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ClusterKind.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")
    unit = django_filters.ModelChoiceFilter(
        label=_("Member unit"),
        queryset=Unit.objects.all(),
        field_name="terms__memberships__unit",
        distinct=True,
        empty_label=_("All"),
    )

    class Meta:
        model = Cluster
        fields = ["q", "kind", "year", "unit"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(terms__year=value).distinct() if value else queryset


class TermFilter(django_filters.FilterSet):
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"), queryset=Cluster.objects.all(), empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = ClusterTerm
        fields = ["cluster", "year"]
