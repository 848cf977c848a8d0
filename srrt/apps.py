from django.apps import AppConfig


class SrrtConfig(AppConfig):
    name = "srrt"
    verbose_name = "Surge and Rapid Response Team"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from odp.audit import audited
        from srrt import models

        for model in (
            models.SurgeRequest,
            models.LastResortAnswer,
            models.CalendarPeak,
            models.TriageDecision,
            models.Responder,
            models.UnavailablePeriod,
            models.Assignment,
            models.Deployment,
            models.Extension,
            models.CloseOut,
            models.Recommendation,
            models.Appraisal,
        ):
            audited(model)
