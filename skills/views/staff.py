"""Staff pages: My skills, the self-assessment of one skill, and the history of one skill's ratings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from odp.models import Member
from odp.web.pages import banner, bound, member_or_404
from skills import selectors, services
from skills.forms import SelfAssessmentForm, add_service_errors, level_choices
from skills.models import FrameworkVersion, Skill
from skills.views.present import RowUrls, gap_text, level_names, level_text, rater_text, standing_row


@login_required
def my_skills(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, "skills.view")
    mine = selectors.my_skills(member)
    names = level_names(mine.version)
    urls = RowUrls.build()
    groups = [(group.group, [standing_row(s, names, urls) for s in group.skills]) for group in mine.groups]
    context = {
        "member": member,
        "mine": mine,
        "groups": groups,
        "expected_count": len(mine.standings),
    }
    return render(request, "skills/my_skills.html", context)


def _current_skill(skill_id: int) -> tuple[FrameworkVersion, Skill]:
    """A skill of the current published version; any other skill (older, draft or unknown) is not found."""
    version = selectors.current_version()
    skill = selectors.structure(version).skills.get(skill_id) if version else None
    if skill is None:
        raise Http404
    return version, skill


def _saved_banner(
    request: HttpRequest, member: Member, version: FrameworkVersion, skill: Skill, level: int, names: dict[int, str]
) -> None:
    standing = selectors.skill_standing(member, skill, version)
    heading = f"You rated yourself {level_text(level, names)} for {skill.name}"
    if standing is None:
        detail = "This skill is not one your role profile expects, so it makes no gap."
    elif standing.pending_level is not None:
        detail = (
            f"Your line manager will be asked to confirm it. Until then your level stays "
            f"{level_text(standing.current_level, names)}: {gap_text(standing.gap).lower()}."
        )
    elif standing.gap:
        detail = f"{gap_text(standing.gap)} to the expected level, {level_text(standing.expected_level, names)}."
    else:
        detail = f"You now meet the expected level, {level_text(standing.expected_level, names)}."
    banner(request, heading, detail)


@login_required
def assess(request: HttpRequest, skill_id: int) -> HttpResponse:
    member = member_or_404(request, "skills.assess")
    version, skill = _current_skill(skill_id)
    names = level_names(version)
    form = SelfAssessmentForm(**bound(request), choices=level_choices(skill, list(selectors.structure(version).levels)))
    if request.method == "POST" and form.is_valid():
        level = form.cleaned_data["level"]
        try:
            services.assessment_record_self(
                member=member, skill=skill, level=level, rationale=form.cleaned_data["evidence"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _saved_banner(request, member, version, skill, level, names)
            return redirect("web-skills-mine")
    standing = selectors.skill_standing(member, skill, version)
    context = {
        "skill": skill,
        "form": form,
        "standing": standing,
        "expected": level_text(standing.expected_level, names) if standing else "",
        "current": level_text(standing.current_level, names) if standing else "",
    }
    return render(request, "skills/assess.html", context)


@login_required
def history(request: HttpRequest, skill_id: int) -> HttpResponse:
    member = member_or_404(request, "skills.view")
    visible = FrameworkVersion.objects.visible_to(member)
    skill = get_object_or_404(Skill.objects.select_related("version"), pk=skill_id, version__in=visible)
    names = level_names(selectors.current_version() or skill.version)
    ratings = [
        {
            "assessment": a,
            "level": level_text(a.level, names),
            "kind": rater_text(a.rater_kind),
            "by": "You" if a.rated_by_id == member.pk else (a.rated_by.full_name if a.rated_by else "Someone"),
        }
        for a in selectors.skill_history(member, skill)
    ]
    return render(request, "skills/history.html", {"skill": skill, "ratings": ratings})
