"""Forms of organisation management, the classification steps and badge awards; every rule is in
the services (``services``, ``services_orgs``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.members.choices import ALLOWED_PARENTS, Level, OrgKind, SuccessionKind
from apps.members.models import PartyOrganization
from apps.organizations.forms import DATE_WIDGET

LEVEL_CHOICES = [("", "—"), *Level.choices]
SELECT = forms.Select(attrs={"class": "form-select"})


def allowed_child_kinds(parent: PartyOrganization) -> list[tuple[str, str]]:
    return [(k.value, k.label) for k in OrgKind if parent.kind in ALLOWED_PARENTS[k]]


class OrgCodeField(forms.ModelChoiceField):
    """An organisation chosen by its catalog code (the tree is too large for a list)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=PartyOrganization.objects.all(),
            to_field_name="code",
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            error_messages={"invalid_choice": _("No party organisation has this code.")},
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python("".join((value or "").split()).upper())


class OrgChildForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=300)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args, parent: PartyOrganization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = allowed_child_kinds(parent)


class OrgEditForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=300)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET, required=False)
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE_WIDGET, required=False)


class OrgMoveForm(forms.Form):
    new_parent = OrgCodeField(
        label=_("New parent organisation (code)"),
        help_text=_("The whole subtree and its members move under it; the history is kept."),
    )


class OrgSuccessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SuccessionKind.choices)
    successor = OrgCodeField(label=_("Successor organisation (code)"))
    effective_date = forms.DateField(label=_("Effective date"), widget=DATE_WIDGET)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)


# --- classification -----------------------------------------------------------------------------


class _YearForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)


class SelfAssessForm(_YearForm):
    score = forms.DecimalField(
        label=_("Self-assessed score"), min_value=0, max_value=100, decimal_places=2
    )
    level = forms.ChoiceField(
        label=_("Proposed level"),
        choices=LEVEL_CHOICES,
        required=False,
        help_text=_("Empty: the level of the score."),
    )
    disqualified = forms.CharField(label=_("Disqualifying fact"), max_length=300, required=False)
    comment = forms.CharField(
        label=_("Self-assessment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AppraiseForm(_YearForm):
    level = forms.ChoiceField(label=_("Proposed level"), choices=Level.choices)
    comment = forms.CharField(
        label=_("Appraisal"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DecideForm(_YearForm):
    level = forms.ChoiceField(label=_("Level decided"), choices=Level.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=50)
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE_WIDGET)
    approved = forms.BooleanField(
        label=_("The competent level approved up to 25 % “excellent”"), required=False
    )


STEP_FORMS = {"self_assess": SelfAssessForm, "appraise": AppraiseForm, "decide": DecideForm}


class MemberClassificationForm(_YearForm):
    member = forms.ModelChoiceField(label=_("Member"), queryset=None)
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, decimal_places=2)
    disqualified = forms.CharField(label=_("Disqualifying fact"), max_length=300, required=False)
    approved = forms.BooleanField(
        label=_("The competent level approved up to 25 % “excellent”"), required=False
    )

    def __init__(self, *args, cell: PartyOrganization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = cell.members.order_by("sort_key", "id")


# --- badges -------------------------------------------------------------------------------------


class BadgeAwardForm(forms.Form):
    org = forms.IntegerField(widget=forms.HiddenInput)
    years = forms.IntegerField(widget=forms.HiddenInput)
    awarded_on = forms.DateField(widget=forms.HiddenInput)
    early_reason = forms.CharField(widget=forms.HiddenInput, required=False)
    number = forms.CharField(
        label=_("Badge number"),
        max_length=30,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
