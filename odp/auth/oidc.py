"""OpenID Connect single sign-on for departmental identity providers.

People are matched on the identity provider's issuer and subject, never on email: an email address can be
reassigned, a subject cannot."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from odp.auth.backends import user_with_member
from odp.models import User


class IssuerSubjectOIDCBackend(OIDCAuthenticationBackend):
    def get_user(self, user_id: Any) -> User | None:
        return user_with_member(user_id)  # with their member record, as password sign-ins

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub")) and super().verify_claims(claims)

    def filter_users_by_claims(self, claims: dict[str, Any]):
        subject = claims.get("sub")
        if not subject:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(oidc_issuer=settings.OIDC_OP_ISSUER, oidc_subject=subject)

    def create_user(self, claims: dict[str, Any]) -> User:
        user = self.UserModel.objects.create_user(
            username=f"oidc-{claims['sub']}"[:150],
            email=claims.get("email", ""),
            first_name=claims.get("given_name", ""),
            last_name=claims.get("family_name", ""),
        )
        user.oidc_issuer = settings.OIDC_OP_ISSUER
        user.oidc_subject = claims["sub"]
        user.set_unusable_password()
        user.save()
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        changed = False
        for field, claim in (("email", "email"), ("first_name", "given_name"), ("last_name", "family_name")):
            value = claims.get(claim)
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        if changed:
            user.save(update_fields=["email", "first_name", "last_name"])
        return user
