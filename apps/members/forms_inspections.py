"""Forms of the inspection and training pages; every rule is in ``apps.members.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.members.choices import (
    CourseKind,
    CourseResult,
    InspectionBasis,
    InspectionKind,
    InspectionOutcome,
    Sex,
)
from apps.members.models import PartyOrganization
from apps.organizations.forms import DATE_WIDGET

RADIO = forms.RadioSelect  # the form partial lays out Django's own markup (.choice-list)


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices, widget=RADIO)
    basis = forms.ChoiceField(label=_("Basis"), choices=InspectionBasis.choices)
    conducted_by = forms.ModelChoiceField(
        label=_("Conducted by"),
        queryset=PartyOrganization.objects.none(),
        help_text=_("The subject's own organisation or one above it."),
    )
    body_name = forms.CharField(
        label=_("Conducting body"),
        max_length=200,
        required=False,
        help_text=_("e.g. Ủy ban Kiểm tra Tỉnh ủy, Ban Thường vụ Đảng ủy."),
    )
    topic = forms.CharField(label=_("Topic"), max_length=500)
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=50,
        required=False,
        help_text=_("The decision that launched it, e.g. 25-QĐ/UBKTTU."),
    )
    started_on = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    ended_on = forms.DateField(label=_("End date"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args, conductors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conducted_by"].queryset = conductors


class ConclusionForm(forms.Form):
    concluded_on = forms.DateField(label=_("Concluded on"), widget=DATE_WIDGET)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=InspectionOutcome.choices, widget=RADIO)
    conclusion = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )
    measure = forms.CharField(
        label=_("Measure"),
        max_length=300,
        required=False,
        help_text=_("What was decided or proposed, e.g. discipline at khiển trách."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=300)


class CourseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices, widget=RADIO)
    name = forms.CharField(label=_("Name"), max_length=300)
    started_on = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    ended_on = forms.DateField(label=_("End date"), widget=DATE_WIDGET, required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)


class MemberParticipantForm(forms.Form):
    reference = forms.CharField(
        label=_("Member's citizen ID or party card number"),
        max_length=20,
        help_text=_("A member of the organiser's subtree."),
    )


class PersonParticipantForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=RADIO)
    cccd = forms.CharField(
        label=_("Citizen ID (CCCD)"), max_length=20, required=False, help_text=_("12 digits")
    )


class ResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=CourseResult.choices)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE_WIDGET, required=False)
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=50, required=False
    )
