from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturneeConfig(AppConfig):
    name = "returnee"
    verbose_name = _("The returnee's page")

    def ready(self):
        from privacy.signals import returnee_erased

        from .services import returnee_page_forget

        returnee_erased.connect(returnee_page_forget, dispatch_uid="returnee_page_forget")
