"""Forms of the member pages; every rule is in ``apps.members.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.members.choices import GapReason, MemberStatus, Sex
from apps.organizations.forms import DATE_WIDGET


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE_WIDGET)
    cccd = forms.CharField(
        label=_("Citizen ID (CCCD)"), max_length=20, required=False, help_text=_("12 digits")
    )
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=50, required=False)
    religion = forms.CharField(label=_("Religion"), max_length=50, required=False)
    admitted_on = forms.DateField(label=_("Admission decision date"), widget=DATE_WIDGET)
    full_member_on = forms.DateField(
        label=_("Full member since"), widget=DATE_WIDGET, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=MemberStatus.choices)
    status_reason = forms.CharField(
        label=_("Reason for the status"), max_length=300, required=False
    )
    card_number = forms.CharField(label=_("Party card number"), max_length=20, required=False)
    card_issued_on = forms.DateField(label=_("Card issued on"), widget=DATE_WIDGET, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("I checked: this is not the same person as the existing record"), required=False
    )


class DayForm(forms.Form):
    """A day to read the statistics on (``?on=YYYY-MM-DD``); empty means today."""

    on = forms.DateField(
        label=_("On"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        required=False,
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file holds"),
        choices=[("members", _("Party members")), ("orgs", _("Party organisations"))],
        initial="members",
        required=False,  # members when not given
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("Fill in the template; nothing is written unless every line is valid."),
    )


class RoundForm(forms.Form):
    round_on = forms.DateField(
        label=_("Award round"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        required=False,
        help_text=_("3/2, 19/5, 2/9 or 7/11"),
    )
    early = forms.ChoiceField(
        label=_("Early award"),
        choices=[("", _("None")), ("ill", _("Seriously ill")), ("posthumous", _("Posthumous"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class MemberEditForm(forms.Form):
    """Corrections to a record; ``version`` is the record's last save when the form was opened."""

    full_name = MemberForm.base_fields["full_name"]
    sex = MemberForm.base_fields["sex"]
    birth_date = MemberForm.base_fields["birth_date"]
    cccd = MemberForm.base_fields["cccd"]
    ethnicity = MemberForm.base_fields["ethnicity"]
    religion = MemberForm.base_fields["religion"]
    education = forms.CharField(label=_("Education"), max_length=100, required=False)
    theory_level = forms.CharField(
        label=_("Political theory level"), max_length=100, required=False
    )
    admitted_on = MemberForm.base_fields["admitted_on"]
    full_member_on = MemberForm.base_fields["full_member_on"]
    card_number = MemberForm.base_fields["card_number"]
    card_issued_on = MemberForm.base_fields["card_issued_on"]
    version = forms.CharField(widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=MemberStatus.choices)
    on = forms.DateField(label=_("Effective from"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Required for exempt, suspended and leaving; e.g. the decision's number."),
    )
    gap_reason = forms.ChoiceField(
        label=_("How the member left"),
        choices=[("", "—"), *[c for c in GapReason.choices if c[0] != GapReason.TRANSFER]],
        required=False,
        help_text=_("Only when the member leaves the Party: party age stops counting."),
    )


class MergeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why these are the same person"),
        max_length=300,
        help_text=_("e.g. entered twice after a transfer; checked against the party card."),
    )
