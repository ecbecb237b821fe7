"""Input and output shapes of the good-practice API. Rules live in ``apps.practices.services``."""

from rest_framework import serializers

from apps.emulation.api.assessment import FileUploadSerializer
from apps.organizations.api.fields import EnumChoiceField
from apps.organizations.models import Unit
from apps.practices.choices import PracticeStatus, WorkField


class PracticeInputSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    year = serializers.IntegerField()
    field = EnumChoiceField(WorkField)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    results = serializers.CharField(required=False, allow_blank=True, default="")


class PracticeUpdateSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False)
    field = EnumChoiceField(WorkField, required=False)
    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(required=False)
    results = serializers.CharField(required=False, allow_blank=True)


class RecogniseInputSerializer(serializers.Serializer):
    recognised_on = serializers.DateField()
    recognised_by = serializers.CharField(max_length=300)


class AdoptInputSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    adopted_on = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AdoptionOutputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    adopted_on = serializers.DateField()
    note = serializers.CharField()


class PracticeAttachmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class PracticeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    year = serializers.IntegerField()
    field = EnumChoiceField(WorkField)
    title = serializers.CharField()
    description = serializers.CharField()
    results = serializers.CharField()
    status = EnumChoiceField(PracticeStatus)
    recognised_on = serializers.DateField(allow_null=True)
    recognised_by = serializers.CharField()
    adoptions = AdoptionOutputSerializer(many=True)
    attachments = PracticeAttachmentOutputSerializer(many=True)


class CountOutputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    total = serializers.IntegerField()
    recognised = serializers.IntegerField()
    adopted_elsewhere = serializers.IntegerField()


class PracticeAttachmentInputSerializer(FileUploadSerializer):
    """The file (multipart), or ``file_name`` with ``content_base64`` (JSON)."""
