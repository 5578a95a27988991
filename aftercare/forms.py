"""The survey after return: five short questions, none compulsory."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FollowUpSurvey

Answer = FollowUpSurvey.Answer
YES_PARTLY_NO = [(Answer.YES, _("yes")), (Answer.PARTLY, _("partly")), (Answer.NO, _("no"))]


class SurveyForm(forms.Form):
    settled = forms.ChoiceField(
        label=_("Have you settled in?"), choices=YES_PARTLY_NO, widget=forms.RadioSelect,
        required=False,
    )  # fmt: skip
    work = forms.ChoiceField(
        label=_("Have you found work?"),
        choices=[*YES_PARTLY_NO, (Answer.NOT_NEEDED, _("not needed"))],
        widget=forms.RadioSelect,
        required=False,
    )
    school_place = forms.ChoiceField(
        label=_("Did your children get a school or kindergarten place?"),
        choices=[
            (Answer.YES, _("yes")),
            (Answer.NO, _("no")),
            (Answer.NOT_NEEDED, _("not needed")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    still_missing = forms.CharField(
        label=_("What is still missing?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    recommend = forms.IntegerField(
        label=_("Would you recommend returning to Latvia to a friend? (0 = no, 10 = certainly)"),
        min_value=0,
        max_value=10,
        required=False,
    )
