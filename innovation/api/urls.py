"""Ideas endpoints, included by odp.api.urls under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from innovation.api import learning, views

router = SimpleRouter()
router.register("ideas", views.IdeaViewSet, basename="idea")
router.register("case-studies", learning.CaseStudyViewSet, basename="case-study")
router.register("innovation-plans", learning.InnovationPlanViewSet, basename="innovation-plan")

urlpatterns = [
    *router.urls,
    path("moderation/reports/", learning.OpenReportsView.as_view(), name="api-moderation-reports"),
    path("moderation/reports/<int:pk>/dismiss/", learning.DismissReportView.as_view(), name="api-moderation-dismiss"),
    path("moderation/ideas/<int:pk>/", learning.ModerateIdeaView.as_view(), name="api-moderation-idea"),
    path("moderation/comments/<int:pk>/", learning.ModerateCommentView.as_view(), name="api-moderation-comment"),
]
