"""The pact list's filters, shared by the API (and any HTML list of pacts)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.emulation.choices import PactState
from apps.emulation.models import Pact
from apps.organizations.models import ClusterTerm


class PactFilter(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(
        label=_("Term"), queryset=ClusterTerm.objects.all(), empty_label=_("All")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=PactState.choices, empty_label=_("All")
    )

    class Meta:
        model = Pact
        fields = ["term", "state"]
