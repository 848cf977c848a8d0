"""The skills pages, mounted at /skills/. URL names start with "web-skills-" (the API's router names start
with "skills-") and have no namespace, so the service navigation can mark the current page by name."""

from django.urls import path

from skills.views import framework, interventions, metrics, staff, team

urlpatterns = [
    path("", staff.my_skills, name="web-skills-mine"),
    path("<int:skill_id>/assess/", staff.assess, name="web-skills-assess"),
    path("<int:skill_id>/history/", staff.history, name="web-skills-history"),
    path("team/", team.team, name="web-skills-team"),
    path("team/<int:assessment_id>/", team.respond, name="web-skills-respond"),
    path("framework/", framework.versions, name="web-skills-framework"),
    path("framework/drafts/new/", framework.draft_create, name="web-skills-draft-create"),
    path("framework/import/", framework.version_import, name="web-skills-import"),
    path("framework/versions/<int:version_id>/", framework.version_detail, name="web-skills-version"),
    path("framework/versions/<int:version_id>/publish/", framework.version_publish, name="web-skills-version-publish"),
    path(
        "framework/versions/<int:version_id>/export/<str:kind>/",
        framework.version_export,
        name="web-skills-version-export",
    ),
    path("interventions/", interventions.intervention_list, name="web-skills-interventions"),
    path("interventions/new/", interventions.intervention_edit, name="web-skills-intervention-create"),
    path("interventions/<int:intervention_id>/", interventions.intervention_detail, name="web-skills-intervention"),
    path(
        "interventions/<int:intervention_id>/edit/",
        interventions.intervention_edit,
        name="web-skills-intervention-edit",
    ),
    path(
        "interventions/<int:intervention_id>/cohorts/new/", interventions.cohort_create, name="web-skills-cohort-create"
    ),
    path("cohorts/<int:cohort_id>/", interventions.cohort_detail, name="web-skills-cohort"),
    path("metrics/", metrics.runs, name="web-skills-metrics"),
    path("metrics/run/", metrics.run_now, name="web-skills-metrics-run-now"),
    path("metrics/runs/<int:run_id>/", metrics.run_detail, name="web-skills-metrics-run"),
    path("roi/", metrics.roi_results, name="web-skills-roi"),
    path("roi/cohorts/<int:cohort_id>/evaluate/", metrics.roi_evaluate, name="web-skills-roi-evaluate"),
]
