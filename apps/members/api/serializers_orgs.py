"""Input and output shapes of the organisation management, classification, badge and country
statistics endpoints; the rules live in the services."""

from rest_framework import serializers

from apps.members.choices import (
    Level,
    MemberStatus,
    OrgClassificationState,
    OrgKind,
    SuccessionKind,
)
from apps.members.models import PartyOrganization
from apps.organizations.api.fields import EnumChoiceField

_ORGS = PartyOrganization.objects.all()


class OrgCreateInputSerializer(serializers.Serializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=_ORGS)
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=300)
    kind = EnumChoiceField(OrgKind)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)


class OrgUpdateInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30, required=False)
    name = serializers.CharField(max_length=300, required=False)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


class OrgMoveInputSerializer(serializers.Serializer):
    new_parent = serializers.PrimaryKeyRelatedField(queryset=_ORGS)


class OrgMoveOutputSerializer(serializers.Serializer):
    moved = serializers.IntegerField(help_text="How many organisations moved (the subtree).")


class SuccessionInputSerializer(serializers.Serializer):
    successor = serializers.PrimaryKeyRelatedField(queryset=_ORGS)
    kind = EnumChoiceField(SuccessionKind)
    effective_date = serializers.DateField()
    legal_basis = serializers.CharField(max_length=300)


class SuccessionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    predecessor = serializers.IntegerField(source="predecessor_id")
    successor = serializers.IntegerField(source="successor_id")
    kind = EnumChoiceField(SuccessionKind)
    effective_date = serializers.DateField()
    legal_basis = serializers.CharField()


class OrgClassificationOutputSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    year = serializers.IntegerField()
    state = EnumChoiceField(OrgClassificationState)
    self_score = serializers.DecimalField(max_digits=5, decimal_places=2)
    self_level = EnumChoiceField(Level)
    self_comment = serializers.CharField()
    disqualified = serializers.CharField()
    appraised_level = serializers.CharField(help_text="A level, or empty before the appraisal.")
    appraisal_comment = serializers.CharField()
    level = serializers.CharField(help_text="The level decided, or empty before the decision.")
    decided_by = serializers.IntegerField(source="decided_by_id", allow_null=True)
    decision_number = serializers.CharField()
    decision_date = serializers.DateField(allow_null=True)
    quota_approved = serializers.BooleanField()


class RollUpOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    by_level = serializers.DictField(child=serializers.IntegerField())
    classified = serializers.IntegerField()
    good_or_better = serializers.IntegerField()
    good_or_better_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    target = serializers.DecimalField(max_digits=5, decimal_places=2)
    meets_target = serializers.BooleanField()


class OrgClassificationPageSerializer(serializers.Serializer):
    record = OrgClassificationOutputSerializer(allow_null=True)
    organisations = RollUpOutputSerializer(help_text="Grassroots organisations decided.")
    members = RollUpOutputSerializer(help_text="Members classified.")


class _YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class SelfAssessInputSerializer(_YearSerializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=2)
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, allow_blank=True, default=""
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    disqualified = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class AppraiseInputSerializer(_YearSerializer):
    level = EnumChoiceField(Level)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DecideInputSerializer(_YearSerializer):
    level = EnumChoiceField(Level)
    decision_number = serializers.CharField(max_length=50)
    decision_date = serializers.DateField()
    approved = serializers.BooleanField(required=False, default=False)


class BadgeAwardInputSerializer(serializers.Serializer):
    years = serializers.IntegerField()
    awarded_on = serializers.DateField()
    number = serializers.CharField(max_length=30)
    early_reason = serializers.ChoiceField(
        choices=[("ill", "ill"), ("posthumous", "posthumous")],
        required=False,
        allow_blank=True,
        default="",
    )


class BadgeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    member = serializers.IntegerField(source="member_id")
    years = serializers.IntegerField()
    awarded_on = serializers.DateField()
    number = serializers.CharField()
    early_reason = serializers.CharField()


class CountryRowOutputSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="org.pk", allow_null=True, default=None)
    code = serializers.CharField(source="org.code", allow_null=True, default=None)
    name = serializers.CharField(source="org.name", allow_null=True, default=None)
    total = serializers.IntegerField()
    by_status = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Members by status: " + ", ".join(s for s in MemberStatus.values if s != "left"),
    )
    women = serializers.IntegerField()
    women_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    with_cccd = serializers.IntegerField()
    cccd_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    renewed_cards = serializers.IntegerField()
    card_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    classified = serializers.IntegerField()
    good_or_better = serializers.IntegerField()
    good_or_better_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    badges_due = serializers.IntegerField()


class CountryStatisticsOutputSerializer(serializers.Serializer):
    on = serializers.DateField()
    classification_year = serializers.IntegerField()
    round_on = serializers.DateField()
    rows = CountryRowOutputSerializer(many=True)
    total = CountryRowOutputSerializer()
