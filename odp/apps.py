from django.apps import AppConfig


class OdpConfig(AppConfig):
    name = "odp"
    verbose_name = "ODP core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from odp import audit
        from odp.models import Member, Organisation, RoleAssignment

        for model in (Organisation, Member, RoleAssignment):
            audit.audited(model)
        audit.connect_signals()
        user_logged_in.connect(audit.on_sign_in, dispatch_uid="odp.audit.sign_in")
        user_logged_out.connect(audit.on_sign_out, dispatch_uid="odp.audit.sign_out")

        # Register every app's jobs in web processes too, so enqueue() can check job names.
        import importlib
        import importlib.util

        from django.apps import apps

        for config in apps.get_app_configs():
            if importlib.util.find_spec(f"{config.name}.tasks") is not None:
                importlib.import_module(f"{config.name}.tasks")
