"""Input and output shapes of the support-fund API. Rules live in ``apps.funds.services``."""

from rest_framework import serializers

from apps.emulation.api.assessment import FileUploadSerializer
from apps.funds.choices import AttachmentKind, EntryKind
from apps.organizations.api.fields import EnumChoiceField
from apps.organizations.models import ClusterTerm, Unit


class EntryInputSerializer(serializers.Serializer):
    term = serializers.PrimaryKeyRelatedField(queryset=ClusterTerm.objects.all())
    kind = serializers.ChoiceField(
        choices=[(EntryKind.CONTRIBUTION, "contribution"), (EntryKind.DISBURSEMENT, "disbursement")]
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    amount = serializers.IntegerField(help_text="Whole đồng, more than zero.")
    occurred_on = serializers.DateField()
    purpose = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    beneficiary = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class ReverseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class HandoverInputSerializer(serializers.Serializer):
    handed_over_on = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class FundAttachmentInputSerializer(FileUploadSerializer):
    """The file (multipart), or ``file_name`` with ``content_base64`` (JSON)."""

    kind = EnumChoiceField(AttachmentKind, required=False, default=AttachmentKind.RECEIPT)


class FundAttachmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = EnumChoiceField(AttachmentKind)
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class EntryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    term = serializers.IntegerField(source="term_id")
    number = serializers.IntegerField()
    kind = EnumChoiceField(EntryKind)
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    amount = serializers.IntegerField()
    effect = serializers.IntegerField(help_text="Signed change to the balance, in đồng.")
    occurred_on = serializers.DateField()
    purpose = serializers.CharField()
    beneficiary = serializers.CharField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    reason = serializers.CharField()
    handed_over_on = serializers.DateField(allow_null=True)
    handover_note = serializers.CharField()
    attachments = FundAttachmentOutputSerializer(many=True)


class LedgerLineSerializer(serializers.Serializer):
    entry = EntryOutputSerializer()
    balance = serializers.IntegerField(help_text="The balance after this entry.")
    reversed_by = serializers.IntegerField(source="reversed_by.pk", allow_null=True, default=None)


class LedgerOutputSerializer(serializers.Serializer):
    term = serializers.IntegerField(source="term.pk")
    contributed = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    balance = serializers.IntegerField()
    lines = LedgerLineSerializer(many=True)
