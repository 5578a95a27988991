"""The dashboard's panel after return, as a tag: the workspace (a sibling app) names the
template, never this app's code."""

from django import template
from django.utils import timezone

from ..selectors import followups_due

register = template.Library()

# The dashboard lists the soonest; a national administrator's list at 100,000 cases would
# be thousands of rows (the worker mails every survey whether listed or not).
SHOWN = 50


@register.inclusion_tag("aftercare/_dashboard.html", takes_context=True)
def aftercare_followups(context):
    """The soonest 3/6/12-month follow-ups near today of the user's returned cases."""
    user = context["request"].user
    followups = followups_due(user=user, today=timezone.localdate(), limit=SHOWN + 1)
    return {"followups": followups[:SHOWN], "more_followups": len(followups) > SHOWN}
