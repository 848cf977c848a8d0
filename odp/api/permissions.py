from rest_framework.permissions import BasePermission


class DenyByDefault(BasePermission):
    """The default policy: refuse. Every API view names its own permission classes."""

    def has_permission(self, request, view) -> bool:
        return False
