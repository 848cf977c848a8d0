from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "innovation"
    verbose_name = "Ideas and innovation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from innovation import models
        from odp.audit import audited

        for model in (
            models.Idea,
            models.Decision,
            models.Comment,
            models.Report,
            models.BenefitMeasure,
            models.CaseStudy,
            models.Adoption,
            models.InnovationPlan,
            models.Commitment,
            models.EmailPreference,
        ):
            audited(model)
