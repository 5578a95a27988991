"""When two people are probably one: the Latvian-aware match of names, phones and addresses.

The keys are stored on the person (`Returnee.keys_fill`): the folded first name with the
surname's stem ("janis berzin" for Jānis Bērziņš, Janis Berzins and Jānis Bērziņa alike: a
surname's masculine, feminine and other case endings are one name), and the e-mail's local
part without case, dots or "+tag". A phone is compared as stored (E.164, the forms
normalise it). A same name alone is enough to ask; a phone or an address alone is not (a
family shares them), both together are.
"""

from __future__ import annotations

from dataclasses import dataclass

from coordinators.models import Returnee, returnee_name_keys

from .models import Reason

WEIGHTS = {Reason.NAME: 50, Reason.PHONE: 40, Reason.EMAIL: 30}
THRESHOLD = 50  # a name, or a phone and an address
# A local part this short ("info", "jb") is too common to say anything.
EMAIL_KEY_MIN_LENGTH = 5


@dataclass(frozen=True)
class Match:
    reasons: tuple[str, ...]
    score: int

    @property
    def is_probable(self) -> bool:
        return self.score >= THRESHOLD


def match(person: Returnee, other: Returnee) -> Match:
    """What makes two people look like one, and how strongly (0-120)."""
    reasons = []
    if person.name_key and person.name_key in returnee_name_keys(other.first_name, other.last_name):
        reasons.append(Reason.NAME)
    if person.phone and person.phone == other.phone:
        reasons.append(Reason.PHONE)
    if len(person.email_key) >= EMAIL_KEY_MIN_LENGTH and person.email_key == other.email_key:
        reasons.append(Reason.EMAIL)
    return Match(tuple(str(reason) for reason in reasons), sum(WEIGHTS[r] for r in reasons))
