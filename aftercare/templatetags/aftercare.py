"""The dashboard's panel after return, as a tag: the workspace (a sibling app) names the
template, never this app's code."""

from django import template
from django.utils import timezone

from ..selectors import followups_due

register = template.Library()


@register.inclusion_tag("aftercare/_dashboard.html", takes_context=True)
def aftercare_followups(context):
    """The 3/6/12-month follow-ups near today of the user's returned cases."""
    user = context["request"].user
    return {"followups": followups_due(user=user, today=timezone.localdate())}
