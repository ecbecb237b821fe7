"""Forms parse and validate input; the services hold the rules."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Cluster, ClusterTerm, Unit
from apps.organizations.services import UNIT_CONTACT_FIELDS, UNIT_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


EMPTY_CHOICE = _("— Choose —")
NO_CHOICE = _("— None —")


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "empty_label", NO_CHOICE if not kwargs.get("required", True) else EMPTY_CHOICE
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        if obj.active_to:
            return _("%(name)s (ceased %(date)s)") % {
                "name": obj.short_name,
                "date": obj.active_to.strftime("%d/%m/%Y"),
            }
        return obj.short_name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = UnitChoiceField.label_from_instance


def units_for_year(year: int | None):
    qs = Unit.objects.select_related("province")
    if year:
        qs = qs.filter(Q(active_to__isnull=True) | Q(active_to__gte=dt.date(year, 1, 1))).filter(
            Q(active_from__isnull=True) | Q(active_from__lte=dt.date(year, 12, 31))
        )
    return qs.order_by("sort_key")


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = list(UNIT_FIELDS)
        widgets = {"active_from": DATE_WIDGET, "active_to": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].empty_label = NO_CHOICE


class UnitContactForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = list(UNIT_CONTACT_FIELDS)


class UnitMergeForm(forms.Form):
    predecessors = UnitMultipleChoiceField(
        label=_("Units merged into this one"),
        queryset=Unit.objects.filter(successions_as_predecessor__isnull=True),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    effective_date = forms.DateField(label=_("Effective date"), widget=DATE_WIDGET)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, successor: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predecessors"].queryset = (
            Unit.objects.filter(successions_as_predecessor__isnull=True)
            .exclude(pk=successor.pk)
            .order_by("sort_key")
        )


class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        fields = ["sector", "kind", "number", "name", "supervising_department", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].empty_label = EMPTY_CHOICE


class TermForm(forms.Form):
    """Members, leader, deputies and the year-end host of a term."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    members = UnitMultipleChoiceField(
        label=_("Member units"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    leader = UnitChoiceField(
        label=_("Cluster leader"), queryset=Unit.objects.none(), required=False
    )
    deputies = UnitMultipleChoiceField(
        label=_("Deputy leaders"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    host = UnitChoiceField(
        label=_("Host of the year-end conference"), queryset=Unit.objects.none(), required=False
    )
    review_date = forms.DateField(
        label=_("Year-end review date"), required=False, widget=DATE_WIDGET
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, year: int | None = None, fixed_year: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_year:
            self.fields["year"].disabled = True
        try:
            chosen_year = int(self.data.get("year") or year or 0) if not fixed_year else year
        except (TypeError, ValueError):
            chosen_year = year
        units = units_for_year(chosen_year)
        for name in ("members", "leader", "deputies", "host"):
            self.fields[name].queryset = units

    def clean(self):
        data = super().clean()
        members = set(data.get("members") or [])
        leader = data.get("leader")
        if leader and leader not in members:
            self.add_error("leader", _("The cluster leader must be a member of the term."))
        for deputy in data.get("deputies") or []:
            if deputy not in members:
                self.add_error(
                    "deputies", _("%(unit)s is a deputy but not a member.") % {"unit": deputy}
                )
        return data


class TermNotesForm(forms.Form):
    host = UnitChoiceField(
        label=_("Host of the year-end conference"), queryset=Unit.objects.none(), required=False
    )
    review_date = forms.DateField(
        label=_("Year-end review date"), required=False, widget=DATE_WIDGET
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, term: ClusterTerm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Unit.objects.filter(memberships__term=term).order_by(
            "sort_key"
        )


class TermOpenNextForm(forms.Form):
    leader = UnitChoiceField(label=_("Cluster leader"), queryset=Unit.objects.none())
    deputies = UnitMultipleChoiceField(
        label=_("Deputy leaders"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    host = UnitChoiceField(
        label=_("Host of the year-end conference"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, members: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        qs = Unit.objects.filter(pk__in=[u.pk for u in members]).order_by("sort_key")
        for name in ("leader", "deputies", "host"):
            self.fields[name].queryset = qs

    def clean(self):
        data = super().clean()
        leader = data.get("leader")
        if leader and leader in (data.get("deputies") or []):
            self.add_error("deputies", _("The leader cannot also be a deputy."))
        return data
