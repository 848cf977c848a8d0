"""Ideas endpoints, included by odp.api.urls under /api/v1/."""

from rest_framework.routers import SimpleRouter

from innovation.api import views

router = SimpleRouter()
router.register("ideas", views.IdeaViewSet, basename="idea")
router.register("case-studies", views.CaseStudyViewSet, basename="case-study")

urlpatterns = router.urls
