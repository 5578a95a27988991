from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events abroad (seminars, conferences, meetings): public registration, check-in, and
    the attendees who agreed turned into cases."""

    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from privacy.signals import returnee_erased

        from .services import attendees_forget_person

        returnee_erased.connect(attendees_forget_person, dispatch_uid="events_forget_person")
