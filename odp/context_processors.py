from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict:
    """Service name, the embedded-profile flag and the CSP nonce, for every template."""
    return {
        "service_name": settings.SERVICE_NAME,
        "odp_embedded": settings.ODP_EMBEDDED,
    }
