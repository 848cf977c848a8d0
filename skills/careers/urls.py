"""The careers pages, mounted at /careers/. URL names start with "careers-"."""

from django.urls import path

from skills.careers import views

urlpatterns = [
    path("", views.career_paths, name="careers-paths"),
    path("paths/<int:profile_id>/", views.career_path, name="careers-path"),
    path("learning/<int:intervention_id>/", views.learning, name="careers-learning"),
    path("opportunities/", views.opportunities, name="careers-opportunities"),
    path("opportunities/saved/", views.saved, name="careers-saved"),
    path("opportunities/new/", views.offer, name="careers-offer"),
    path("opportunities/<int:opportunity_id>/", views.opportunity, name="careers-opportunity"),
    path("opportunities/<int:opportunity_id>/save/", views.opportunity_save, name="careers-opportunity-save"),
    path("opportunities/<int:opportunity_id>/close/", views.opportunity_close, name="careers-opportunity-close"),
    path("alerts/", views.alerts, name="careers-alerts"),
]
