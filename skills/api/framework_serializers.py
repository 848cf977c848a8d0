"""Representations of the framework: versions, scales, groups, skills with crosswalks, role profiles."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from odp.models import JobFamily, RoleLevel
from skills.models import (
    Crosswalk,
    Expectation,
    Framework,
    FrameworkVersion,
    ProficiencyLevel,
    RoleProfile,
    Skill,
    SkillGroup,
    VersionStatus,
)

TAG_CHOICES = ["digital", "data", "AI"]
FILE_FORMATS = ["json", "csv"]
EXPORT_FORMATS = ["json", "csv", "role_profiles_csv"]


class FrameworkSerializer(serializers.ModelSerializer):
    current_version = serializers.SerializerMethodField(help_text="The published version's id; null if none.")

    class Meta:
        model = Framework
        fields = ["id", "name", "slug", "description", "current_version"]
        read_only_fields = fields

    def get_current_version(self, framework: Framework) -> int | None:
        version = framework.current_version()
        return version.pk if version else None


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProficiencyLevel
        fields = ["value", "name", "description", "is_threshold"]
        read_only_fields = fields


class GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = SkillGroup
        fields = ["id", "code", "name", "position"]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FrameworkVersion
        fields = [
            "id",
            "framework",
            "number",
            "status",
            "change_notes",
            "based_on",
            "is_illustrative",
            "created_at",
            "published_at",
            "retired_at",
        ]
        read_only_fields = fields


class VersionDetailSerializer(VersionSerializer):
    """A version with its proficiency scale and skill groups; its skills are at /skills/skills/?version=."""

    levels = LevelSerializer(many=True, read_only=True)
    groups = GroupSerializer(many=True, read_only=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "levels", "groups"]
        read_only_fields = fields


class VersionFilterSerializer(serializers.Serializer):
    framework = serializers.IntegerField(required=False, help_text="Only versions of this framework.")
    status = serializers.ChoiceField(choices=VersionStatus.choices, required=False)


class VersionCreateSerializer(serializers.Serializer):
    framework = serializers.PrimaryKeyRelatedField(queryset=Framework.objects.all())
    change_notes = serializers.CharField(required=False, allow_blank=True, default="")


class PublishSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Kept in the audit trail.")


class VersionImportSerializer(serializers.Serializer):
    framework = serializers.PrimaryKeyRelatedField(queryset=Framework.objects.all())
    file = serializers.FileField(help_text="The framework as JSON or CSV (docs/skills-framework-format.md).")
    file_format = serializers.ChoiceField(
        choices=FILE_FORMATS, required=False, help_text="json or csv; taken from the file name's ending if omitted."
    )
    change_notes = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict) -> dict:
        if "file_format" not in attrs:
            ending = attrs["file"].name.rsplit(".", 1)[-1].lower() if "." in attrs["file"].name else ""
            if ending not in FILE_FORMATS:
                raise serializers.ValidationError(
                    {"file_format": "Say whether the file is json or csv, or upload a .json or .csv file."}
                )
            attrs["file_format"] = ending
        return attrs


class RoleProfilesUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Role profiles CSV: job_family, role_level, skill, level, importance.")


class ExportFilterSerializer(serializers.Serializer):
    file_format = serializers.ChoiceField(
        choices=EXPORT_FORMATS,
        required=False,
        default="json",
        help_text="json (everything), csv (skills) or role_profiles_csv.",
    )
    as_successor = serializers.BooleanField(
        required=False, default=False, help_text="Write each skill as superseding its own code: a start for the next."
    )


class CrosswalkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Crosswalk
        fields = ["scheme", "external_code", "external_name", "external_level", "relation"]
        read_only_fields = fields


class SkillSerializer(serializers.ModelSerializer):
    group = GroupSerializer(read_only=True)
    tags = serializers.ListField(child=serializers.ChoiceField(choices=TAG_CHOICES), read_only=True)
    descriptors = serializers.SerializerMethodField(help_text='Descriptor by level, as {"1": "..."}.')
    crosswalks = CrosswalkSerializer(many=True, read_only=True)

    class Meta:
        model = Skill
        fields = [
            "id",
            "version",
            "group",
            "code",
            "name",
            "description",
            "descriptors",
            "tags",
            "supersedes",
            "lineage",
            "position",
            "crosswalks",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_descriptors(self, skill: Skill) -> dict[str, str]:
        return {key: text for key, text in sorted((skill.descriptors or {}).items()) if text}


class SkillFilterSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="Only skills of this version.")
    group = serializers.IntegerField(required=False, help_text="Only skills in this group.")
    code = serializers.CharField(required=False)
    tag = serializers.ChoiceField(choices=TAG_CHOICES, required=False)


class ExpectationSerializer(serializers.ModelSerializer):
    skill_code = serializers.CharField(source="skill.code", read_only=True)

    class Meta:
        model = Expectation
        fields = ["skill", "skill_code", "expected_level", "importance"]
        read_only_fields = fields


class RoleProfileSerializer(serializers.ModelSerializer):
    expectations = ExpectationSerializer(many=True, read_only=True)

    class Meta:
        model = RoleProfile
        fields = ["id", "version", "job_family", "role_level", "name", "expectations"]
        read_only_fields = fields


class RoleProfileFilterSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    job_family = serializers.ChoiceField(choices=JobFamily.choices, required=False)
    role_level = serializers.ChoiceField(choices=RoleLevel.choices, required=False)
