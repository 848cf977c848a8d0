"""The SRRT pages, mounted at /srrt/ by odp.urls."""

from django.urls import path  # noqa: F401  (pages are added by the SRRT page modules)

urlpatterns: list = []
