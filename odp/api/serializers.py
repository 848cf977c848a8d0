"""Representations of the core records. Only fields safe for anyone allowed to see the record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from odp.models import Member, Organisation, OrganisationKind, Role


class BlankChoicesMixin:
    """For a ModelSerializer: read-only choice fields of ``blank=True`` model fields may hold "".

    DRF drops ``allow_blank`` from read-only fields, so the schema documented such a field as its choices only
    and a real response carrying "" broke the contract (found by the schemathesis fuzzing in tests/hardening/)."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()  # type: ignore[misc]
        model = self.Meta.model  # type: ignore[attr-defined]
        for name, field in fields.items():
            if not (isinstance(field, serializers.ChoiceField) and field.read_only):
                continue
            try:
                model_field = model._meta.get_field(name if field.source in (None, "*") else field.source)
            except FieldDoesNotExist:
                continue
            if model_field.blank and isinstance(model_field, models.CharField | models.TextField):
                field.allow_blank = True
        return fields


def unstorable(value: object) -> bool:
    """Text PostgreSQL cannot take: a NUL character, or a lone surrogate (not encodable as UTF-8). Looking a
    record up by such a value fails in the database itself, a 500 where the caller should hear 400 or 404."""
    return isinstance(value, str) and any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in value)


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's, refusing text the database cannot compare before it looks the slug up (found by the fuzzing:
    a theme slug with a NUL in it was a 500 on PostgreSQL)."""

    def to_internal_value(self, data: Any) -> Any:
        if unstorable(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class OrganisationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "slug", "kind"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    """Parent and children are structural ids: they can name organisations outside your scope (404)."""

    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    children = serializers.PrimaryKeyRelatedField(read_only=True, many=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "slug", "kind", "parent", "children"]
        read_only_fields = fields


class OrganisationFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, required=False, help_text="Only organisations of this kind."
    )


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "email",
            "organisation",
            "grade",
            "job_family",
            "role_level",
            "region",
            "line_manager",
            "is_active",
        ]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    """The signed-in member, with what they may do: their roles and the organisations they review."""

    name = serializers.CharField(source="full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    roles = serializers.SerializerMethodField()
    reviewable_organisation_ids = serializers.SerializerMethodField()
    line_manager_name = serializers.CharField(
        source="line_manager.full_name", read_only=True, allow_null=True, help_text="None if no line manager."
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "email",
            "organisation",
            "grade",
            "job_family",
            "role_level",
            "region",
            "roles",
            "reviewable_organisation_ids",
            "line_manager_name",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, member: Member) -> list[str]:
        return sorted(member.roles)

    def get_reviewable_organisation_ids(self, member: Member) -> list[int]:
        return sorted(member.reviewable_organisations())
