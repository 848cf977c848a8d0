"""Writing and publishing case studies, recording adoption, and departmental innovation plans."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from innovation import learning
from innovation.forms import add_service_errors
from innovation.learning_forms import AdoptionForm, CaseStudyForm, CommitmentForm, PlanForm
from innovation.models import CaseStudy, Commitment, Idea, InnovationPlan
from innovation.permissions import can_lead
from odp import access
from odp.models import Organisation
from odp.web.pages import banner, bound, member_or_404


@login_required
def case_study_edit(request: HttpRequest, idea_id: int) -> HttpResponse:
    member = member_or_404(request)
    idea = get_object_or_404(Idea.objects.visible_to(member).filter(status__in=learning.DELIVERED), pk=idea_id)
    if idea.author_id != member.pk and not can_lead(member, idea.organisation):
        raise Http404
    study = CaseStudy.objects.filter(idea=idea).first()
    initial = {name: getattr(study, name) for name in learning.CASE_STUDY_FIELDS} if study else {"title": idea.title}
    form = CaseStudyForm(**bound(request), initial=initial)
    if request.method == "POST" and "publish" in request.POST and study is not None:
        learning.case_study_publish(by=member, case_study=study)
        banner(request, "Case study published")
        return redirect("ideas-case-study", slug=study.slug)
    if request.method == "POST" and form.is_valid():
        try:
            study = learning.case_study_save(by=member, idea=idea, answers=form.cleaned_data, case_study=study)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, "Case study saved", "A head of profession for the organisation publishes it.")
            return redirect("ideas-case-study-edit", idea_id=idea.pk)
    context = {"idea": idea, "form": form, "study": study, "can_publish": can_lead(member, idea.organisation)}
    return render(request, "innovation/case_study_edit.html", context)


@login_required
def adopt(request: HttpRequest, idea_id: int) -> HttpResponse:
    member = member_or_404(request)
    idea = get_object_or_404(Idea.objects.visible_to(member).filter(status__in=learning.DELIVERED), pk=idea_id)
    form = AdoptionForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            learning.adoption_record(by=member, idea=idea, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, "Adoption recorded", "Thank you: this is how we measure ideas spreading.")
            return redirect("ideas-detail", idea_id=idea.pk)
    return render(request, "innovation/adopt.html", {"idea": idea, "form": form})


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request)
    visible = InnovationPlan.objects.visible_to(member).select_related("organisation").order_by("-year", "organisation")
    led = Organisation.objects.filter(pk__in=access.head_of_profession_organisation_ids(member)).order_by("name")
    context = {"plans": visible, "led": led, "year": timezone.localdate().year}
    return render(request, "innovation/plans.html", context)


@login_required
def plan_edit(request: HttpRequest, organisation_id: int, year: int) -> HttpResponse:
    member = member_or_404(request)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not can_lead(member, organisation) or not 2000 <= year <= 2100:
        raise Http404
    plan = InnovationPlan.objects.filter(organisation=organisation, year=year).first()
    initial = {name: getattr(plan, name) for name in learning.PLAN_FIELDS} if plan else {}
    form = PlanForm(**bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = learning.plan_save(by=member, organisation=organisation, year=year, answers=form.cleaned_data)
        banner(request, "Innovation plan saved")
        return redirect("ideas-plan", plan_id=plan.pk)
    return render(request, "innovation/plan_edit.html", {"organisation": organisation, "year": year, "form": form})


@login_required
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    member = member_or_404(request)
    found = get_object_or_404(InnovationPlan.objects.visible_to(member).select_related("organisation"), pk=plan_id)
    editable = can_lead(member, found.organisation)
    form = CommitmentForm(**bound(request), initial={"progress": Commitment.Progress.NOT_STARTED})
    if request.method == "POST":
        if not editable:
            raise Http404
        commitment = None
        if request.POST.get("commitment"):
            commitment = get_object_or_404(Commitment, pk=request.POST["commitment"], plan=found)
        if form.is_valid():
            learning.commitment_save(by=member, plan=found, commitment=commitment, **form.cleaned_data)
            banner(request, "Commitment saved")
            return redirect("ideas-plan", plan_id=found.pk)
    context = {"plan": found, "commitments": found.commitments.all(), "editable": editable, "form": form}
    return render(request, "innovation/plan.html", context, status=400 if form.errors else 200)
