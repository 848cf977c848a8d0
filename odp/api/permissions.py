"""Who may call an API view. Deny by default; every view names what it needs from this module.

``IsMember`` lets in any signed-in user with an active member record. ``policy("action")`` adds the role
check of ``odp.access.can`` on top, so the role × action matrix in ``odp.access.POLICIES`` is the one place
an action is granted. Object scoping is not decided here: views start from ``visible_to`` querysets, so an
out-of-scope object is simply not found (404)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission

from odp.access import POLICIES, can, member_for

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class DenyByDefault(BasePermission):
    """The default policy: refuse. Every API view names its own permission classes."""

    message = "This endpoint has no access policy, so nobody may use it."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return False


class IsMember(BasePermission):
    """Signed in, with an active member record. Anonymous requests get 401/403 ``not_authenticated``."""

    message = "Your account is not linked to an active member of the profession."
    code = "not_a_member"

    def has_permission(self, request: Request, view: APIView) -> bool:
        # An anonymous user fails here and DRF turns that into not_authenticated, not this message.
        member = member_for(request.user)
        return member is not None and member.is_active


class HasPolicy(IsMember):
    """``IsMember`` plus ``odp.access.can(member, action)``. Build subclasses with ``policy()``.

    ``action`` applies to every view action; ``actions`` maps a viewset action (``list``, ``create``...) to
    its own policy. A viewset action with no policy of its own and no ``action`` fallback is refused."""

    action: str | None = None
    actions: dict[str, str] = {}
    message = "You do not have permission to perform this action."
    code = "permission_denied"

    def policy_for(self, view: APIView) -> str | None:
        view_action = getattr(view, "action", None)
        if view_action is not None and view_action in self.actions:
            return self.actions[view_action]
        return self.action

    def has_permission(self, request: Request, view: APIView) -> bool:
        member = member_for(request.user)
        if member is None or not member.is_active:
            self.message, self.code = IsMember.message, IsMember.code
            return False
        name = self.policy_for(view)
        return name is not None and can(member, name)


def policy(action: str | None = None, /, **actions: str) -> type[HasPolicy]:
    """A permission class requiring a policy from ``odp.access.POLICIES``.

    ``permission_classes = [policy("organisations.list")]`` for one policy on the whole view, or
    ``[policy("ideas.view", create="ideas.submit")]`` to give some viewset actions their own."""
    if action is None and not actions:
        raise ValueError("policy() needs an action, or per-action policies.")
    names = [action, *actions.values()] if action else list(actions.values())
    unknown = sorted(set(names) - set(POLICIES))
    if unknown:
        # A typo would otherwise deny everyone silently; fail where the view is defined instead.
        raise ValueError(f"Unknown policies {unknown}: add them to odp.access.POLICIES first.")
    return type(
        f"HasPolicy[{', '.join(names)}]",
        (HasPolicy,),
        {"action": action, "actions": dict(actions), "__module__": __name__},
    )
