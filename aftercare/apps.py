from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    """After return: follow-ups at 3, 6 and 12 months, a short survey by a signed link."""

    name = "aftercare"
    verbose_name = _("After return")

    def ready(self):
        from privacy.signals import returnee_erased

        from .services import surveys_forget_person

        returnee_erased.connect(surveys_forget_person, dispatch_uid="aftercare_forget_person")
