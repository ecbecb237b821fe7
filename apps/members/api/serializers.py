"""Input and output shapes of the member API; the rules live in ``apps.members.services``."""

from rest_framework import serializers

from apps.members.choices import MemberStatus, OrgKind, Sex
from apps.members.models import PartyOrganization
from apps.organizations.api.fields import EnumChoiceField


class OrgOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()
    kind = EnumChoiceField(OrgKind)
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    depth = serializers.IntegerField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class MemberOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    full_name = serializers.CharField()
    sex = EnumChoiceField(Sex)
    birth_date = serializers.DateField()
    cccd_masked = serializers.CharField(help_text="The citizen ID masked: 0010******89.")
    ethnicity = serializers.CharField()
    religion = serializers.CharField()
    admitted_on = serializers.DateField()
    full_member_on = serializers.DateField(allow_null=True)
    status = EnumChoiceField(MemberStatus)
    status_reason = serializers.CharField()
    card_number = serializers.CharField(allow_null=True)
    card_issued_on = serializers.DateField(allow_null=True)
    organization = serializers.IntegerField(source="organization_id")
    organization_code = serializers.CharField(source="organization.code")


class MemberInputSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=PartyOrganization.objects.all())
    full_name = serializers.CharField(max_length=200)
    sex = EnumChoiceField(Sex)
    birth_date = serializers.DateField()
    cccd = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    ethnicity = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    religion = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    admitted_on = serializers.DateField()
    full_member_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = EnumChoiceField(MemberStatus, required=False, default=MemberStatus.PROBATIONARY)
    status_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    card_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    card_issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    confirm_duplicate = serializers.BooleanField(required=False, default=False)


class CccdOutputSerializer(serializers.Serializer):
    cccd = serializers.CharField()


class StatisticsOutputSerializer(serializers.Serializer):
    on = serializers.DateField()
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_sex = serializers.DictField(child=serializers.IntegerField())
    by_age = serializers.DictField(child=serializers.IntegerField())
    by_ethnicity = serializers.DictField(child=serializers.IntegerField())
    with_cccd = serializers.IntegerField()
    cccd_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    renewed_cards = serializers.IntegerField()
    card_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
