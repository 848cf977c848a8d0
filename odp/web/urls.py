from django.urls import path

from odp.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
