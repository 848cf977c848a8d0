"""The SRRT pages, mounted at /srrt/ by odp.urls. URL names start with "srrt-"."""

from django.urls import path

from srrt.views import analysis, deployments, operations, requests, roster, staffing, triage

urlpatterns = [
    path("requests/", requests.mine, name="srrt-requests"),
    path("requests/new/", requests.question, name="srrt-new"),
    path("requests/<int:pk>/", requests.detail, name="srrt-request"),
    path("requests/<int:pk>/questions/<slug:step>/", requests.question, name="srrt-question"),
    path("requests/<int:pk>/check/", requests.check, name="srrt-check"),
    path("requests/<int:pk>/submitted/", requests.submitted, name="srrt-submitted"),
    path("requests/<int:pk>/cancel/", requests.cancel, name="srrt-cancel"),
    path("requests/<int:pk>/triage/", triage.decide, name="srrt-decide"),
    path("requests/<int:pk>/staffing/", staffing.staffing, name="srrt-staffing"),
    path(
        "requests/<int:pk>/assignments/<int:assignment_pk>/remove/",
        staffing.assignment_remove,
        name="srrt-assignment-remove",
    ),
    path("triage/", triage.queue, name="srrt-triage"),
    path("responders/", roster.responders, name="srrt-responders"),
    path("responders/add/", roster.responder_add, name="srrt-responder-add"),
    path("responders/<int:pk>/", roster.responder, name="srrt-responder"),
    path(
        "responders/<int:pk>/unavailable/<int:period_pk>/remove/",
        roster.unavailable_remove,
        name="srrt-unavailable-remove",
    ),
    path("calendar-peaks/", roster.peaks, name="srrt-peaks"),
    path("calendar-peaks/add/", roster.peak_edit, name="srrt-peak-add"),
    path("calendar-peaks/<int:pk>/", roster.peak_edit, name="srrt-peak-edit"),
    path("deployments/", deployments.mine, name="srrt-deployments"),
    path(
        "deployments/unavailable/<int:period_pk>/remove/",
        deployments.unavailable_remove,
        name="srrt-my-unavailable-remove",
    ),
    path("requests/<int:pk>/deployment/", operations.deployment, name="srrt-deployment"),
    path("analysis/", analysis.usage, name="srrt-analysis"),
]
