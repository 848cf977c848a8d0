"""/api/v1/skills/opportunities/ and /api/v1/skills/career-paths/me/.

Opportunities start from Opportunity.objects.visible_to, so one out of scope is 404; heads of profession and ODP
admins offer them for the organisations they lead (careers.offer). Career paths are the caller's own only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import ApiView, ReadOnlyApiViewSet
from odp.api.permissions import policy
from odp.models import JobFamily, Organisation
from skills.api.common import query
from skills.careers import fit, paths, selectors, services
from skills.models import Opportunity, OpportunityAudience, OpportunityKind, RoleProfile

VIEW, OFFER = "careers.view", "careers.offer"


class FitSerializer(serializers.Serializer):
    met = serializers.IntegerField(help_text="Expected skills you meet (your current level is at least expected).")
    expected = serializers.IntegerField(help_text="Skills the role profile expects.")
    percent = serializers.IntegerField()


def _fit(met: int, expected: int) -> dict[str, int]:
    found = fit.Fit(met=met, expected=expected)
    return {"met": found.met, "expected": found.expected, "percent": found.percent}


class OpportunitySerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    organisation_kind = serializers.CharField(source="organisation.kind", read_only=True)
    job_family = serializers.CharField(source="role_profile.job_family", read_only=True)
    role_level = serializers.IntegerField(source="role_profile.role_level", read_only=True)
    is_open = serializers.SerializerMethodField(help_text="Open and not past its closing date.")
    fit = serializers.SerializerMethodField(help_text="Your fit against the opportunity's role profile.")
    is_saved = serializers.BooleanField(read_only=True, help_text="You saved it.")

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "title",
            "organisation",
            "organisation_name",
            "organisation_kind",
            "kind",
            "summary",
            "location",
            "is_remote",
            "grade",
            "closing_on",
            "role_profile",
            "job_family",
            "role_level",
            "apply_url",
            "apply_contact",
            "audience",
            "status",
            "is_open",
            "fit",
            "is_saved",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_open(self, obj: Opportunity) -> bool:
        return obj.status == "open" and obj.closing_on >= timezone.localdate()

    @extend_schema_field(FitSerializer)
    def get_fit(self, obj: Opportunity) -> dict[str, int]:
        return _fit(obj.fit_met, obj.fit_expected)


class OpportunityWriteSerializer(serializers.Serializer):
    """Field checks only; the service decides the rules (closing date, current framework version, your own
    organisation) and reports every problem by field, saving nothing."""

    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OpportunityKind.choices)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    location = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    is_remote = serializers.BooleanField(required=False, default=False)
    grade = serializers.CharField(max_length=60)
    closing_on = serializers.DateField()
    role_profile = serializers.PrimaryKeyRelatedField(queryset=RoleProfile.objects.all())
    apply_url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    apply_contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    audience = serializers.ChoiceField(choices=OpportunityAudience.choices)


class OpportunityFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    kind = serializers.ChoiceField(choices=OpportunityKind.choices, required=False)
    offered_by = serializers.ChoiceField(choices=list(selectors.OFFERED_BY), required=False)
    job_family = serializers.ChoiceField(choices=JobFamily.choices, required=False)
    remote = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField(choices=list(selectors.SORTS), required=False, default="closing")
    saved = serializers.BooleanField(
        required=False, default=False, help_text="Only the ones you saved (closed ones included)."
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[OpportunityFilterSerializer],
        description="Open opportunities you can see, each with your fit; or (saved=true) the ones you saved.",
    ),
    retrieve=extend_schema(description="One opportunity you can see, open or closed."),
    create=extend_schema(request=OpportunityWriteSerializer, responses={201: OpportunitySerializer}),
    save=extend_schema(
        request=None,
        responses={200: OpportunitySerializer, 400: OpenApiResponse(description="The opportunity has closed.")},
        description="POST saves the opportunity for you (saving twice changes nothing); DELETE removes it.",
    ),
)
class OpportunityViewSet(ReadOnlyApiViewSet):
    """Roles, secondments, apprenticeships and learning events across central government, local government
    and partners."""

    permission_classes = [policy(VIEW, create=OFFER)]
    serializer_class = OpportunitySerializer

    def get_queryset(self) -> QuerySet[Opportunity]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no member
            return Opportunity.objects.none()
        return selectors.visible(self.member).order_by("closing_on", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters = dict(query(request, OpportunityFilterSerializer))
        if filters.pop("saved"):
            rows = selectors.saved(self.member)
        else:
            rows = selectors.browse(self.member, selectors.OpportunityFilters(**filters))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request: Request) -> Response:
        serializer = OpportunityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.opportunity_create(by=self.member, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=created.pk)).data, status=201)

    @action(detail=True, methods=["post", "delete"])
    def save(self, request: Request, pk: str) -> Response:
        found = self.get_object()
        if request.method == "DELETE":
            services.opportunity_unsave(opportunity=found, by=self.member)
        else:
            services.opportunity_save(opportunity=found, by=self.member)
        return Response(self.get_serializer(self.get_queryset().get(pk=found.pk)).data, status=status.HTTP_200_OK)


class GapSkillSerializer(serializers.Serializer):
    skill = serializers.IntegerField(source="skill_id")
    code = serializers.CharField()
    name = serializers.CharField()
    expected_level = serializers.IntegerField()
    current_level = serializers.IntegerField(help_text="0 if not yet assessed.")


class GapInterventionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    provider = serializers.CharField()
    builds = serializers.ListField(child=serializers.CharField(), help_text="The gap skills it targets.")


class CareerPathSerializer(serializers.Serializer):
    role_profile = serializers.IntegerField()
    job_family = serializers.CharField()
    role_level = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=paths.CareerPathKind.choices)
    fit = FitSerializer()
    gap = GapSkillSerializer(many=True)
    interventions = GapInterventionSerializer(many=True)


class CareerPathsSerializer(serializers.Serializer):
    current_role_profile = serializers.IntegerField(allow_null=True, help_text="Null if your role has no profile.")
    paths = CareerPathSerializer(many=True)


def _path_data(path: paths.CareerPath) -> dict[str, Any]:
    return {
        "role_profile": path.profile.pk,
        "job_family": path.profile.job_family,
        "role_level": path.profile.role_level,
        "kind": path.kind,
        "fit": _fit(path.gap.fit.met, path.gap.fit.expected),
        "gap": path.gap.skills,
        "interventions": [
            {"id": i.pk, "name": i.name, "kind": i.kind, "provider": i.provider, "builds": builds}
            for i, builds in path.gap.interventions
        ],
    }


class MyCareerPathsView(ApiView):
    """Your next steps: the next role level in your job family and moves to others at your level, each with
    your fit, your gap skills and the learning interventions that target them. Your own only."""

    permission_classes = [policy(VIEW)]

    @extend_schema(responses=CareerPathsSerializer)
    def get(self, request: Request) -> Response:
        result = paths.career_paths(self.member)
        data = {
            "current_role_profile": result.current.pk if result.current else None,
            "paths": [_path_data(p) for p in result.all],
        }
        return Response(CareerPathsSerializer(data).data)
