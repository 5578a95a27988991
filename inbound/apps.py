from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboundConfig(AppConfig):
    """Mail into the portal: the person's replies threaded onto their case, the rest in a
    national inbox."""

    name = "inbound"
    verbose_name = _("Incoming mail")

    def ready(self):
        from privacy.signals import returnee_erased

        from .services import inbound_forget_person

        returnee_erased.connect(inbound_forget_person, dispatch_uid="inbound_forget_person")
