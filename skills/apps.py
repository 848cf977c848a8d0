from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "Skills and capability"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from odp.audit import audited
        from skills.models import Cohort, CostItem, Enrolment, Framework, Intervention

        for model in (Framework, Intervention, CostItem, Cohort, Enrolment):
            audited(model)
