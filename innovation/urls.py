"""The ideas pages, mounted at /ideas/ by odp.urls."""

from django.urls import path

from innovation.views import email, ideas, learning, moderation, public, raising, review

urlpatterns = [
    path("", ideas.browse, name="ideas-browse"),
    path("yours/", ideas.mine, name="ideas-mine"),
    path("email/", email.preference, name="ideas-email"),
    path("export.csv", ideas.export, name="ideas-export"),
    path("new/", raising.question, name="ideas-new"),
    path("<int:idea_id>/", ideas.detail, name="ideas-detail"),
    path("<int:idea_id>/questions/<slug:step>/", raising.question, name="ideas-question"),
    path("<int:idea_id>/check/", raising.check, name="ideas-check"),
    path("<int:idea_id>/submitted/", raising.submitted, name="ideas-submitted"),
    path("<int:idea_id>/delete/", raising.delete_draft, name="ideas-delete"),
    path("<int:idea_id>/endorse/", ideas.endorse, name="ideas-endorse"),
    path("<int:idea_id>/follow/", ideas.follow, name="ideas-follow"),
    path("<int:idea_id>/comment/", ideas.comment, name="ideas-comment"),
    path("<int:idea_id>/report/", ideas.report, name="ideas-report"),
    path("<int:idea_id>/comments/<int:comment_id>/report/", ideas.report, name="ideas-report-comment"),
    path("review/", review.queue, name="ideas-review"),
    path("moderation/", moderation.queue, name="ideas-moderation"),
    path("moderation/ideas/<int:idea_id>/", moderation.moderate_idea, name="ideas-moderate-idea"),
    path("moderation/comments/<int:comment_id>/", moderation.moderate_comment, name="ideas-moderate-comment"),
    path("<int:idea_id>/decide/", review.decide, name="ideas-decide"),
    path("<int:idea_id>/case-study/", learning.case_study_edit, name="ideas-case-study-edit"),
    path("<int:idea_id>/adopt/", learning.adopt, name="ideas-adopt"),
    path("plans/", learning.plans, name="ideas-plans"),
    path("plans/<int:plan_id>/", learning.plan, name="ideas-plan"),
    path("plans/<int:organisation_id>/<int:year>/edit/", learning.plan_edit, name="ideas-plan-edit"),
    path("case-studies/", public.case_studies, name="ideas-case-studies"),
    path("case-studies/<slug:slug>/", public.case_study, name="ideas-case-study"),
]
