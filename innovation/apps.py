from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "innovation"
    verbose_name = "Ideas and innovation"
    default_auto_field = "django.db.models.BigAutoField"
