from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "Skills and capability"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from odp.audit import audited
        from skills import selectors
        from skills.models import (
            Cohort,
            CostItem,
            Enrolment,
            Expectation,
            Framework,
            FrameworkVersion,
            Intervention,
            ProficiencyLevel,
            RoleProfile,
            Skill,
            SkillGroup,
        )

        for model in (Framework, Intervention, CostItem, Cohort, Enrolment):
            audited(model)
        for model in (FrameworkVersion, ProficiencyLevel, SkillGroup, Skill, RoleProfile, Expectation):
            uid = f"skills.structure.{model.__name__}"
            post_save.connect(selectors.forget_structures, sender=model, dispatch_uid=f"{uid}.save")
            post_delete.connect(selectors.forget_structures, sender=model, dispatch_uid=f"{uid}.delete")
