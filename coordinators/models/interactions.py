"""Contacts with the person: calls, e-mails, meetings, messages through the form."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .users import User


class Interaction(models.Model):
    """A contact with the person: a call, an e-mail, a meeting, a message through the form."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone call")
        EMAIL = "email", _("e-mail")
        VIDEO = "video", _("video call")
        MEETING = "meeting", _("meeting")
        CONTACT_FORM = "contact_form", _("contact form message")
        EVENT = "event", _("event")
        PERSONAL_PAGE = "personal_page", _("personal page")
        OTHER = "other", _("other")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="interactions", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"))
    follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    author = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    # Written by the person themselves on their personal page (an answer, a change, an
    # upload): the staff timeline says "by the person".
    from_person = models.BooleanField(_("by the person"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["case", "occurred_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on:%d.%m.%Y}"
