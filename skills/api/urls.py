"""/api/v1/skills/: mounted by odp/api/urls.py before its catch-all."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from skills.api import assessments, framework, interventions, metrics
from skills.careers import api as careers_api

router = SimpleRouter()
router.register("frameworks", framework.FrameworkViewSet, basename="skills-framework")
router.register("versions", framework.VersionViewSet, basename="skills-version")
router.register("skills", framework.SkillViewSet, basename="skills-skill")
router.register("role-profiles", framework.RoleProfileViewSet, basename="skills-role-profile")
router.register("assessments", assessments.AssessmentViewSet, basename="skills-assessment")
router.register("confirmations", assessments.PendingConfirmationViewSet, basename="skills-confirmation")
router.register("interventions", interventions.InterventionViewSet, basename="skills-intervention")
router.register("cohorts", interventions.CohortViewSet, basename="skills-cohort")
router.register("enrolments", interventions.EnrolmentViewSet, basename="skills-enrolment")
router.register("metrics/runs", metrics.MetricsRunViewSet, basename="skills-metrics-run")
router.register("metrics", metrics.CapabilityMetricViewSet, basename="skills-metric")
router.register("roi", metrics.RoiEvaluationViewSet, basename="skills-roi")
router.register("opportunities", careers_api.OpportunityViewSet, basename="skills-opportunity")

urlpatterns = [
    path("me/", assessments.MySkillsView.as_view(), name="skills-me"),
    path("career-paths/me/", careers_api.MyCareerPathsView.as_view(), name="skills-career-paths-me"),
    *router.urls,
]
