from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """The public "Dod ziņu!" form: no models of its own, it writes through the domain core."""

    name = "intake"
    verbose_name = _("Contact form")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from municipalities.models import Municipality, NeedCategory, PlanningRegion

        from .fragments import form_fields_forget

        # The kept rendering of the form's fields lists these: a change drops it.
        for model in (PlanningRegion, Municipality, NeedCategory):
            post_save.connect(form_fields_forget, sender=model, dispatch_uid=f"intake-{model}")
            post_delete.connect(form_fields_forget, sender=model, dispatch_uid=f"intake-{model}-d")
