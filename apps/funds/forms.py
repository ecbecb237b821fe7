"""Forms of the support-fund pages. They parse what was typed (an amount the Vietnamese way,
"70.000.000") and show it back; every rule is in ``apps.funds.services``."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.emulation.evidence import ACCEPT
from apps.funds.choices import AttachmentKind
from apps.organizations.forms import DATE_WIDGET
from apps.organizations.models import Unit

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_money(text: str) -> int | None:
    """ "70.000.000", "70000000", "70 000 000 đ" -> 70000000; "" -> None. No decimals: a comma,
    or dots that do not group thousands, are refused."""
    text = (text or "").strip().lower()
    for unit in ("đồng", "đ", "vnd"):
        text = text.removesuffix(unit).strip()
    text = text.replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text:
        raise forms.ValidationError(
            _("Amounts are whole đồng, without decimals."), code="amount_whole"
        )
    if "." in text:
        if not _GROUPED.match(text):
            raise forms.ValidationError(
                _("Write the amount in đồng, e.g. 70.000.000."), code="invalid"
            )
        text = text.replace(".", "")
    if not text.isdigit() or len(text) > 15:
        raise forms.ValidationError(_("Write the amount in đồng, e.g. 70.000.000."), code="invalid")
    return int(text)


class MoneyField(forms.CharField):
    """Whole đồng typed the Vietnamese way; the cleaned value is an int."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "off",
                "maxlength": "25",
                "placeholder": "70.000.000",
            }
        )
        return attrs

    def to_python(self, value):
        return parse_money(super().to_python(value))


class _EntryForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    amount = MoneyField(label=_("Amount (đồng)"))
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    purpose = forms.CharField(label=_("Purpose"), max_length=500, required=False)

    def __init__(self, *args, term, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(memberships__term=term).order_by(
            "sort_key"
        )


class ContributionForm(_EntryForm):
    pass


class DisbursementForm(_EntryForm):
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=500,
        initial=_("Support for building a house for a colleague in hardship"),
    )
    beneficiary = forms.CharField(
        label=_("Beneficiary"),
        max_length=300,
        required=False,
        help_text=_("Who the house is for, as the decision names them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].label = _("Recipient locality")


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Why the entry is undone; the original entry stays in the ledger."),
    )


class HandoverForm(forms.Form):
    handed_over_on = forms.DateField(label=_("House handed over on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
