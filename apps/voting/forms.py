"""Forms of the ballot pages. They parse and show; every rule is in ``apps.voting.services``."""

from django import forms
from django.utils.translation import gettext_lazy

from apps.organizations.models import Unit
from apps.voting.models import Ballot

SETTINGS = (
    "question",
    "max_choices",
    "electorate_kind",
    "quorum_numerator",
    "quorum_denominator",
    "quorum_strict",
    "threshold_numerator",
    "threshold_denominator",
    "threshold_strict",
)


class BallotForm(forms.ModelForm):
    candidates = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Candidates"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Member units of the term, in the order of the list."),
    )

    class Meta:
        model = Ballot
        fields = SETTINGS
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, term, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = Unit.objects.filter(memberships__term=term).order_by(
            "sort_key"
        )
        for name in ("max_choices", "quorum_numerator", "quorum_denominator"):
            self.fields[name].widget.attrs["min"] = 1
        for name in ("threshold_numerator", "threshold_denominator"):
            self.fields[name].widget.attrs["min"] = 1

    def ordered_candidates(self):
        """The chosen units in the list's (Vietnamese) order."""
        return sorted(self.cleaned_data["candidates"], key=lambda u: (u.sort_key, u.pk))


class CastForm(forms.Form):
    choices = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Your choice"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choices"].choices = [(c.pk, c.unit.name) for c in candidates]


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=gettext_lazy("Receipt code"), max_length=40)
