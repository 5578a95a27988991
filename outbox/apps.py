from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """E-mail that is never lost: stored with the business change, sent after commit, retried.

    Our own small queue rather than django-mailer: its last release (2.3.2, 2024) predates
    Django 5.2, and the case timeline needs each e-mail linked to its case.
    """

    name = "outbox"
    verbose_name = _("Outbox")
