"""Line manager pages: reports' self-assessments waiting for a response, and confirming or adjusting one."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from odp.models import Member
from odp.web.pages import banner, bound, member_or_404
from skills import selectors, services
from skills.forms import RespondForm, add_service_errors, level_choices
from skills.models import Assessment, RaterKind
from skills.views.present import level_names, level_text

# How long a line manager has to respond to a self-assessment before it shows as overdue.


def due_on(assessment: Assessment) -> datetime.date:
    return timezone.localdate(assessment.rated_at) + datetime.timedelta(days=settings.SKILLS_RESPONSE_DAYS)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    manager = member_or_404(request, "skills.confirm")
    today = timezone.localdate()
    names = level_names(selectors.current_version())
    waiting = [
        {
            "assessment": row.pending_self_assessment,
            "member": row.member,
            "level": level_text(row.pending_self_assessment.level, names),
            "due_on": due_on(row.pending_self_assessment),
            "overdue": due_on(row.pending_self_assessment) < today,
        }
        for row in selectors.pending_confirmations(manager)
    ]
    return render(request, "skills/team.html", {"waiting": waiting, "today": today})


def _pending_for(manager: Member, assessment_id: int) -> Assessment:
    """A report's self-assessment that still waits for this manager; anything else is not found."""
    assessment = (
        Assessment.objects.filter(pk=assessment_id, rater_kind=RaterKind.SELF, member__line_manager=manager)
        .select_related("member__user", "skill__group", "skill__version")
        .first()
    )
    if assessment is None or not selectors.self_assessment_is_pending(assessment):
        raise Http404
    return assessment


@login_required
def respond(request: HttpRequest, assessment_id: int) -> HttpResponse:
    manager = member_or_404(request, "skills.confirm")
    assessment = _pending_for(manager, assessment_id)
    skill, version = assessment.skill, assessment.skill.version
    names = level_names(version)
    form = RespondForm(
        **bound(request),
        initial={"level": assessment.level},
        choices=level_choices(skill, list(version.levels.all())),
    )
    if request.method == "POST" and form.is_valid():
        level = form.cleaned_data["level"]
        try:
            services.assessment_respond(
                self_assessment=assessment, by=manager, level=level, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            outcome = "confirmed" if level == assessment.level else "adjusted"
            banner(
                request,
                f"You {outcome} {assessment.member.full_name}'s {skill.name} assessment",
                f"Their level is now {level_text(level, names)}. We have told them.",
            )
            return redirect("web-skills-team")
    context = {
        "assessment": assessment,
        "report": assessment.member,
        "skill": skill,
        "self_level": level_text(assessment.level, names),
        "due_on": due_on(assessment),
        "form": form,
    }
    return render(request, "skills/respond.html", context)
