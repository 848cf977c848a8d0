"""Swagger UI for the API that works under our Content Security Policy and with no CDN.

drf-spectacular's split view serves its start-up code as a script file rather than inline. The page here
loads Swagger UI from the drf-spectacular-sidecar static files (served by us, so ``script-src 'self'``
allows them), and leaves out the stock page's inline ``<style>`` that ``style-src 'self'`` would block."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.request import Request

_DIST = "drf_spectacular_sidecar/swagger-ui-dist"

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{favicon}">
<link rel="stylesheet" href="{css}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{bundle}"></script>
<script src="{preset}"></script>
<script src="{init}"></script>
</body>
</html>
"""


class SwaggerView(SpectacularSwaggerSplitView):
    """``/api/docs/``: the page, and (with ``?script``) the start-up script it loads."""

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        return static(f"{_DIST}/{filename}")

    @staticmethod
    def _swagger_ui_favicon() -> str:
        return static(f"{_DIST}/favicon-32x32.png")

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is None:
            data = response.data
            response = HttpResponse(
                format_html(
                    _PAGE,
                    title=data["title"],
                    favicon=data["favicon_href"],
                    css=data["swagger_ui_css"],
                    bundle=data["swagger_ui_bundle"],
                    preset=data["swagger_ui_standalone"],
                    init=data["script_url"],
                )
            )
        # The start-up script carries the user's CSRF token: never cache it, nor the page that names it.
        patch_cache_control(response, no_store=True, private=True)
        return response
