"""Forms of the self-assessment page. They parse what was typed (a comma is a decimal point, as
Vietnamese write it) and show it back; every rule is in ``apps.emulation.services.assessment``."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.emulation.evidence import ACCEPT
from apps.emulation.services.assessment import MAX_EXPLANATION, MAX_NOTE


def parse_number(text: str) -> Decimal | None:
    """ "7,5" or "7.5" -> Decimal("7.5"); "" -> None; "1.234,5" (thousands with dots) too."""
    text = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(_("Enter a number."), code="invalid") from None
    if not value.is_finite():
        raise forms.ValidationError(_("Enter a number."), code="invalid")
    return value


class NumberField(forms.CharField):
    """A number typed the Vietnamese way; the cleaned value is a Decimal or None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "30"})
        return attrs

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > 30:
            raise forms.ValidationError(_("Enter a number."), code="invalid")
        return parse_number(text)


class AssessmentItemForm(forms.Form):
    """One line: the unit's points and explanation, over the version it was read at."""

    points = NumberField(label=_("Self-assessed points"))
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 2}),
        strip=False,
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        max_length=255,
    )


class IndicatorsForm(forms.Form):
    """A value and a note per indicator row; empty values clear the indicator."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            code = row.indicator.code
            self.fields[f"value_{code}"] = NumberField(label=row.indicator.name)
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Note"), required=False, max_length=MAX_NOTE
            )
            if not self.is_bound and row.value is not None:
                self.initial[f"value_{code}"] = _plain(row.value.value)
                self.initial[f"note_{code}"] = row.value.note

    def values(self) -> dict:
        """``{code: (value, note)}`` for the service."""
        return {
            row.indicator.code: (
                self.cleaned_data.get(f"value_{row.indicator.code}"),
                self.cleaned_data.get(f"note_{row.indicator.code}", ""),
            )
            for row in self.rows
            if row.indicator.active
        }

    def bound_rows(self):
        """(row, value field, note field) for the template."""
        return [
            (row, self[f"value_{row.indicator.code}"], self[f"note_{row.indicator.code}"])
            for row in self.rows
        ]


def _plain(value: Decimal) -> str:
    """12.50 -> "12,5"; 3.00 -> "3" (what a person would type)."""
    text = format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def plain_number(value) -> str:
    return "" if value is None else _plain(Decimal(value))
