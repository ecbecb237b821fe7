"""Forms of the good-practice pages; every rule is in ``apps.practices.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.emulation.evidence import ACCEPT
from apps.organizations.forms import DATE_WIDGET
from apps.organizations.models import Unit
from apps.practices.choices import WorkField


class PracticeForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"))
    field = forms.ChoiceField(label=_("Field of work"), choices=WorkField.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is done, by whom and how, so another unit can take it up."),
    )
    results = forms.CharField(
        label=_("Results"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, units, fixed_unit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if fixed_unit:
            self.fields.pop("unit")


class RecogniseForm(forms.Form):
    recognised_on = forms.DateField(label=_("Recognised on"), widget=DATE_WIDGET)
    recognised_by = forms.CharField(
        label=_("Recognised by"),
        max_length=300,
        help_text=_("The body and its document, e.g. Ban Tổ chức Trung ương, Công văn số …"),
    )


class AdoptForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit that adopted it"), queryset=Unit.objects.none())
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
