"""Forms of the pact pages. They parse and show; every rule is in ``apps.emulation.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.emulation.choices import TieBreakKey
from apps.emulation.models import ContentGroup, Criterion


class PactForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    tie_break = forms.MultipleChoiceField(
        label=_("Tie-break order"),
        choices=TieBreakKey.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Compared in the order listed when two units have the same total."),
    )


class PactCopyForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Left empty, last year's title with this year's number."),
    )


class PactAmendForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the amendment"), widget=forms.Textarea)


class ContentGroupForm(forms.ModelForm):
    class Meta:
        model = ContentGroup
        fields = ["position", "code", "title"]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "position",
            "title",
            "kind",
            "max_points",
            "scoring_method",
            "guidance",
            "evidence_required",
        ]
        widgets = {
            "guidance": forms.Textarea(attrs={"rows": 3}),
            "evidence_required": forms.Textarea(attrs={"rows": 2}),
        }
