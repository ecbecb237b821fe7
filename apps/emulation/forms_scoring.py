"""Forms of the cross-scoring, reconciliation and ranking pages. They parse what was typed (a comma
is a decimal point, as Vietnamese write it) and show it back; every rule is in
``apps.emulation.services.scoring``."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.emulation.models import Criterion
from apps.organizations.models import Unit


def parse_points(text) -> Decimal | str | None:
    """ "7,5" or "7.5" -> Decimal("7.5"); "" -> None. Anything else is returned as typed, for
    the service to refuse with its own message."""
    text = str(text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def plain_points(value) -> str:
    """A stored score as typed back into a box: 7.50 -> "7,5"."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


class PointsField(forms.CharField):
    """Points typed the Vietnamese way; cleans to a Decimal, None, or the text to refuse.

    No ``max_length`` validator: it would run on the parsed Decimal. The length is checked on
    the text instead."""

    MAX_LENGTH = 30

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "maxlength": str(self.MAX_LENGTH)}
        )
        return attrs

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > self.MAX_LENGTH:
            raise forms.ValidationError(_("Enter a number."), code="invalid")
        return parse_points(text)


class ScoreForm(forms.Form):
    """One line of a score sheet, over the version it was read at."""

    points = PointsField(label=_("Points"))
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 1}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class SheetStartForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Unit to score"), queryset=Unit.objects.all())


class FinalScoreForm(forms.Form):
    """The secretariat's final score for one unit and criterion."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all())
    criterion = forms.ModelChoiceField(label=_("Criterion"), queryset=Criterion.objects.all())
    points = PointsField(label=_("Final score"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text=_("Required when the final score differs from the computed one."),
    )
