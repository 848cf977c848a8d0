from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from odp.web.navigation import navigation_for


def service(request: HttpRequest) -> dict:
    """Service name, the embedded-profile flag and the role-aware navigation, for every template."""
    return {
        "service_name": settings.SERVICE_NAME,
        "odp_embedded": settings.ODP_EMBEDDED,
        # Lazy: pages that never show the navigation (and error pages) do not pay for the role queries.
        "navigation": SimpleLazyObject(lambda: navigation_for(request)),
    }
