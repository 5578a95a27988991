"""After return: a survey at 3, 6 and 12 months from the date a case became "returned"."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinators.models import Case

POINTS = (3, 6, 12)  # months after the return
LOW_RECOMMENDATION = 6  # of 0–10: this or less flags the case (as "not settled" does)


class FollowUpSurvey(models.Model):
    """One survey of one case at one point after one return: stored when the worker sends
    it (so it is sent once), answered through its signed link."""

    class Answer(models.TextChoices):
        YES = "yes", _("yes")
        PARTLY = "partly", _("partly")
        NO = "no", _("no")
        NOT_NEEDED = "not_needed", _("not needed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="aftercare_surveys")
    months = models.PositiveSmallIntegerField(
        _("months after the return"), choices=[(point, point) for point in POINTS]
    )
    # The return this point counts from: a case that is undone and returns again later
    # starts a new series, the old rows stay as they were.
    returned_on = models.DateField(_("returned on"))
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    settled = models.CharField(_("settled in?"), max_length=12, choices=Answer.choices, blank=True)
    work = models.CharField(_("work?"), max_length=12, choices=Answer.choices, blank=True)
    school_place = models.CharField(
        _("school or kindergarten place?"), max_length=12, choices=Answer.choices, blank=True
    )
    still_missing = models.TextField(_("what is still missing"), blank=True)
    recommend = models.PositiveSmallIntegerField(
        _("would recommend (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("survey after return")
        verbose_name_plural = _("surveys after return")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "returned_on", "months"], name="aftercare_survey_once_per_point"
            ),
        ]
        indexes = [models.Index(fields=["answered_at"])]

    def __str__(self):
        return f"{self.case.reference}: {self.months}"

    @property
    def low_score(self) -> bool:
        """An answer that asks for the coordinator's attention."""
        return self.settled == self.Answer.NO or (
            self.recommend is not None and self.recommend <= LOW_RECOMMENDATION
        )
