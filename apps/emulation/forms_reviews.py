"""Forms and the movement filter of the reviews-and-movements pages. They parse and show; the
rules are in ``apps.emulation.services.reviews`` and the rights in ``apps.accounts.permissions``."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import movement_launchers
from apps.core.text import fold
from apps.emulation.choices import PeriodKind
from apps.emulation.models import Criterion, Movement
from apps.emulation.selectors.reviews import movement_criteria_choices
from apps.organizations.choices import TermRole
from apps.organizations.forms import DATE_WIDGET, UnitChoiceField, UnitMultipleChoiceField
from apps.organizations.models import ClusterTerm, Unit

CLUSTER = "cluster"  # the value that stands for "launched by the cluster itself"


def term_units(term: ClusterTerm):
    return Unit.objects.filter(memberships__term=term).order_by("sort_key")


class CriterionMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Criterion) -> str:
        return f"{obj.group.code}. {obj.title}"


class MovementForm(forms.Form):
    launched_by = forms.ChoiceField(
        label=_("Launched by"),
        required=False,
        help_text=_("The cluster itself, or a member unit in its own name."),
    )
    name = forms.CharField(label=_("Name of the movement"), max_length=300)
    slogan = forms.CharField(label=_("Slogan"), max_length=300, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE_WIDGET, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    participants = UnitMultipleChoiceField(
        label=_("Participating units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    criteria = CriterionMultipleChoiceField(
        label=_("Linked criteria"),
        queryset=Criterion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Criteria of the pact in force that this movement serves."),
    )

    def __init__(self, *args, term: ClusterTerm, user, movement: Movement | None = None, **kw):
        super().__init__(*args, **kw)
        self.term, self.user = term, user
        self.fields["participants"].queryset = term_units(term)
        self.fields["criteria"].queryset = movement_criteria_choices(term=term, movement=movement)
        if movement is not None:
            del self.fields["launched_by"]  # who launched a movement never changes
            return
        launchers = movement_launchers(user, term)
        self._launchers = {CLUSTER if u is None else str(u.pk): u for u in launchers}
        self.fields["launched_by"].choices = [
            (CLUSTER if u is None else str(u.pk), _("The cluster") if u is None else u.short_name)
            for u in launchers
        ]
        self.fields["launched_by"].initial = default_launcher_key(user, self._launchers)

    def clean_launched_by(self):
        key = self.cleaned_data["launched_by"] or default_launcher_key(self.user, self._launchers)
        return self._launchers[key]


def default_launcher_key(user, launchers: dict) -> str:
    """The user's own unit when they may launch in its name, otherwise the cluster."""
    own = str(getattr(user, "unit_id", "") or "")
    return own if own in launchers else CLUSTER


class ReviewPeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of review"), choices=PeriodKind.choices)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE_WIDGET)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DATE_WIDGET,
        help_text=_("The last day units may submit (inclusive)."),
    )
    flag_margin = forms.DecimalField(
        label=_("Deviation margin (percent of the maximum)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=20,
        help_text=_(
            "Scores that differ from the others, or from the unit's own, by more than this share "
            "of the criterion's maximum are flagged for reconciliation."
        ),
    )
    panel = UnitMultipleChoiceField(
        label=_("Scoring panel"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Units that score the criteria scored by the leader's panel."),
    )

    def __init__(self, *args, term: ClusterTerm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = term_units(term)
        if not self.is_bound and "panel" not in self.initial:
            self.initial["panel"] = [
                m.unit_id
                for m in term.memberships.all()
                if m.role in (TermRole.LEADER, TermRole.DEPUTY)
            ]


class ReopenForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    until = forms.DateField(label=_("Open until"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, term: ClusterTerm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = term_units(term)
        self.fields["until"].widget.attrs["min"] = timezone.localdate().isoformat()


class MovementFilter(django_filters.FilterSet):
    """The movement list's filters, for the page and the API (``term`` is required)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    launched_by = django_filters.ChoiceFilter(
        label=_("Launched by"), method="filter_launched_by", empty_label=_("All")
    )
    participant = django_filters.ModelChoiceFilter(
        label=_("Participating unit"),
        queryset=Unit.objects.none(),
        field_name="participants",
        empty_label=_("All"),
    )

    class Meta:
        model = Movement
        fields = ["q", "launched_by", "participant"]

    def __init__(self, data=None, queryset=None, *, term: ClusterTerm, **kwargs):
        super().__init__(data, queryset, **kwargs)
        units = term_units(term)
        self.filters["participant"].queryset = units
        self.filters["launched_by"].extra["choices"] = [(CLUSTER, _("The cluster"))] + [
            (str(u.pk), u.short_name) for u in units
        ]

    def filter_q(self, queryset, name, value):
        """Diacritics and case never matter: "phong trao" finds "Phong trào"."""
        folded = fold(value)
        if not folded:
            return queryset
        ids = [
            m.pk
            for m in queryset
            if folded
            in fold(
                " ".join(
                    [
                        m.name,
                        m.slogan,
                        m.description,
                        m.launched_by.name if m.launched_by else "",
                        m.launched_by.short_name if m.launched_by else "",
                    ]
                )
            )
        ]
        return queryset.filter(pk__in=ids)

    def filter_launched_by(self, queryset, name, value):
        if value == CLUSTER:
            return queryset.filter(launched_by__isnull=True)
        return queryset.filter(launched_by_id=value)
