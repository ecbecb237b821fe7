"""Forms of the award catalog; every rule is in ``apps.awards.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.emulation.forms_assessment import NumberField
from apps.funds.forms import MoneyField
from apps.organizations.forms import DATE_WIDGET


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
