from django.apps import AppConfig


class SrrtConfig(AppConfig):
    name = "srrt"
    verbose_name = "Surge and Rapid Response Team"
    default_auto_field = "django.db.models.BigAutoField"
