"""Forms of the award catalog; every rule is in ``apps.awards.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.awards.choices import CandidateOutcome, RuleKind
from apps.awards.models import AwardType
from apps.emulation.forms_assessment import NumberField
from apps.funds.forms import MoneyField
from apps.organizations.forms import DATE_WIDGET, EMPTY_CHOICE
from apps.organizations.models import Unit


class BaseSalaryForm(forms.Form):
    amount = MoneyField(label=_("Base salary (đồng per month)"))
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    source = forms.CharField(label=_("Source document"), max_length=300)


class CoefficientForm(forms.Form):
    coefficient = NumberField(label=_("Coefficient"), required=True)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    source = forms.CharField(label=_("Source document"), max_length=300)


class OnDateForm(forms.Form):
    on = forms.DateField(
        label=_("Decision date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        required=False,
    )


# --- proposals ----------------------------------------------------------------------------------


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    year = forms.IntegerField(label=_("Year of the achievements"), min_value=2000, max_value=2100)
    receiver = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE, label=_("Receiving body"), queryset=Unit.objects.none()
    )
    number = forms.CharField(
        label=_("Letter number"), max_length=60, required=False, help_text=_("e.g. 45-TTr/CTĐ1")
    )
    achievements = forms.CharField(
        label=_("Achievement report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("The summary the letter carries; the full report can be attached."),
    )
    deliberated_on = forms.DateField(
        label=_("Deliberation date"), widget=DATE_WIDGET, required=False
    )
    deliberation_place = forms.CharField(
        label=_("Deliberation place"), max_length=300, required=False
    )
    chair = forms.CharField(label=_("Chaired by"), max_length=200, required=False)
    secretary = forms.CharField(label=_("Minutes taken by"), max_length=200, required=False)
    signer = forms.CharField(
        label=_("Signed by"), max_length=200, required=False, help_text=_("Who signs the letter.")
    )

    def __init__(self, *args, receivers=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields.pop("year")
            self.fields.pop("receiver")
        else:
            self.fields["receiver"].queryset = receivers


class CandidateForm(forms.Form):
    award_type = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE, label=_("Award proposed"), queryset=AwardType.objects.all()
    )
    unit = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE,
        label=_("Collective"),
        queryset=Unit.objects.all(),
        required=False,
        help_text=_("For an award to a collective."),
    )
    person_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        help_text=_("For an award to a person."),
    )
    person_title = forms.CharField(
        label=_("Position and workplace"), max_length=300, required=False
    )
    person_birth_date = forms.DateField(
        label=_("Date of birth"), widget=DATE_WIDGET, required=False
    )
    achievements = forms.CharField(
        label=_("Achievements"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    votes = forms.IntegerField(label=_("Votes received"), min_value=0, required=False)
    electorate = forms.IntegerField(label=_("Of voters"), min_value=1, required=False)
    members_total = forms.IntegerField(label=_("Members"), min_value=1, required=False)
    members_ldtt = forms.IntegerField(
        label=_("Members who are Lao động tiên tiến"), min_value=0, required=False
    )
    pending_case = forms.BooleanField(
        label=_("A discipline, inspection or complaint is pending"), required=False
    )


class ReviewForm(forms.Form):
    """Return (a comment per candidate) or pass (an outcome and a comment per candidate)."""

    comment = forms.CharField(
        label=_("Comment on the whole file"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, candidates, with_outcome: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.with_outcome = with_outcome
        for c in self.candidates:
            label = f"{c.name} – {c.award_name}"
            if with_outcome:
                self.fields[f"outcome_{c.pk}"] = forms.ChoiceField(
                    label=label,
                    choices=[
                        (CandidateOutcome.ACCEPTED, CandidateOutcome.ACCEPTED.label),
                        (CandidateOutcome.REJECTED, CandidateOutcome.REJECTED.label),
                    ],
                    initial=CandidateOutcome.ACCEPTED,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
            self.fields[f"note_{c.pk}"] = forms.CharField(
                label=_("Comment on %(name)s") % {"name": c.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=c.review_comment,
            )

    def comments(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"note_{c.pk}", "") for c in self.candidates}

    def outcomes(self) -> dict:
        return {
            c.pk: (self.cleaned_data[f"outcome_{c.pk}"], self.cleaned_data.get(f"note_{c.pk}", ""))
            for c in self.candidates
        }


class DecisionForm(forms.Form):
    number = forms.CharField(
        label=_("Decision number"), max_length=60, help_text=_("e.g. 1234-QĐ/BTCTW")
    )
    signed_on = forms.DateField(label=_("Decision date"), widget=DATE_WIDGET)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=200)
    signer = forms.CharField(label=_("Signed by"), max_length=200)
    signer_title = forms.CharField(
        label=_("Signer's position"), max_length=200, required=False, help_text=_("e.g. Trưởng ban")
    )


class AwardRecordForm(forms.Form):
    award_type = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE, label=_("Award"), queryset=AwardType.objects.all()
    )
    year = forms.IntegerField(label=_("Year of the achievements"), min_value=1945)
    unit = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE, label=_("Collective"), queryset=Unit.objects.all(), required=False
    )
    person_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    person_birth_date = forms.DateField(
        label=_("Date of birth"), widget=DATE_WIDGET, required=False
    )
    person_unit = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE, label=_("Workplace"), queryset=Unit.objects.all(), required=False
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE_WIDGET, required=False)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=200, required=False)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("Where the record comes from when there is no decision number."),
    )


class RuleForm(forms.Form):
    award_type = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE, label=_("Award"), queryset=AwardType.objects.all()
    )
    kind = forms.ChoiceField(label=_("Condition"), choices=RuleKind.choices)
    applies = forms.BooleanField(
        label=_("The condition applies"),
        required=False,
        initial=True,
        help_text=_("Untick to record that, from this day, the condition no longer applies."),
    )
    years = forms.IntegerField(label=_("Years"), min_value=1, max_value=10, required=False)
    required_award = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE,
        label=_("Award held in those years"),
        queryset=AwardType.objects.all(),
        required=False,
    )
    percent = NumberField(label=_("Percent"), required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    source = forms.CharField(label=_("Source document"), max_length=300)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class QuotaForm(forms.Form):
    receiver = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE, label=_("Receiving body"), queryset=Unit.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    award_type = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE, label=_("Award"), queryset=AwardType.objects.all()
    )
    count = forms.IntegerField(label=_("Quota"), min_value=0, max_value=10_000)
    source = forms.CharField(label=_("Source document"), max_length=300)

    def __init__(self, *args, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = receivers


class LayoutField(forms.JSONField):
    """The layout as indented JSON, one field per block, easier to edit than one long line."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        import json

        return json.dumps(value, ensure_ascii=False, indent=1)


class CertificateTemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    award_type = forms.ModelChoiceField(
        empty_label=EMPTY_CHOICE,
        label=_("For award"),
        queryset=AwardType.objects.all(),
        required=False,
        help_text=_("Empty: the template for every award without its own."),
    )
    landscape = forms.BooleanField(label=_("Landscape"), required=False)
    draw_border = forms.BooleanField(label=_("Draw a border"), required=False)
    layout = LayoutField(
        label=_("Layout"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace small"}),
        help_text=_(
            "A list of fields with their position in millimetres from the top left: field, x, "
            "y, size (points), style (regular, bold, italic, bolditalic), align (left, center, "
            "right), width (mm, to wrap), upper (capitals), color."
        ),
    )
    background = forms.FileField(
        label=_("Background image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
        help_text=_(
            "The printed form, scanned (PNG or JPEG); leave empty to keep the current one."
        ),
    )
