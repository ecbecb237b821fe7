"""Forms of the ballot pages. They parse and show; every rule is in ``apps.voting.services``."""

from django import forms
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.organizations.models import Unit
from apps.voting.models import Ballot
from apps.voting.services import DELEGATE_ROLES

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


class DelegateField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name() or user.get_username()
        return f"{name} ({user.unit.short_name})"


class BallotForm(forms.ModelForm):
    candidates = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Candidates"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Member units of the term, in the order of the list."),
    )
    delegates = DelegateField(
        label=gettext_lazy("Delegates"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Only for a vote per delegate: the delegates of the member units present at the "
            "conference, one vote each."
        ),
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
        self.fields["delegates"].queryset = (
            User.objects.filter(
                unit__memberships__term=term, is_active=True, role__in=DELEGATE_ROLES
            )
            .select_related("unit")
            .order_by("unit__sort_key", "last_name", "first_name", "pk")
        )
        for name in ("max_choices", "quorum_numerator", "quorum_denominator"):
            self.fields[name].widget.attrs["min"] = 1
        for name in ("threshold_numerator", "threshold_denominator"):
            self.fields[name].widget.attrs["min"] = 1

    def ordered_candidates(self):
        """The chosen units in the list's (Vietnamese) order."""
        return sorted(self.cleaned_data["candidates"], key=lambda u: (u.sort_key, u.pk))

    def chosen_delegates(self):
        return list(self.cleaned_data.get("delegates") or [])


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
    receipt = forms.CharField(
        label=gettext_lazy("Receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "form-control font-monospace",
                "autocomplete": "off",
                "placeholder": "K7QX-M3HT-9RWB",
            }
        ),
    )
