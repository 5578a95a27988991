import io
import json
import zipfile
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from common.errors import DomainError
from coordinators.models import Case, CaseEvent, HouseholdMember, Interaction, Returnee
from coordinators.services.pipeline import case_transition
from outbox.models import Email
from outbox.services import email_enqueue
from privacy.models import Erasure
from privacy.services import (
    ALREADY_ERASED,
    BAD_RETENTION_PERIOD,
    OTHER_REGION_CASES,
    returnee_erase,
)
from tests.factories import (
    CaseFactory,
    HouseholdMemberFactory,
    InteractionFactory,
    OfferItemFactory,
    SpecialistFactory,
    need,
    region,
)

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Ķēniņš", "girts.kenins@example.com", "+447911123456"


@pytest.fixture
def person_case(kurzeme_coordinator):
    case = CaseFactory(
        returnee__first_name="Ģirts",
        returnee__last_name=NAME,
        returnee__email=EMAIL,
        returnee__phone=PHONE,
        returnee__town="Peterborough",
        needs=[need("housing"), need("family")],
    )
    HouseholdMemberFactory(returnee=case.returnee, birth_year=2019)
    InteractionFactory(case=case, summary=f"Runājām ar {NAME} par dzīvokli.")
    OfferItemFactory(
        offer__case=case,
        offer__status="sent",
        offer__sent_at=timezone.now(),
        text=f"Dzīvoklis ģimenei {NAME}.",
    )
    OfferItemFactory(offer__case=case, offer__version=2)  # a draft: never sent, no PDF
    email_enqueue(to=EMAIL, subject=f"Sveiki, {NAME}", body="Paldies!", case=case, purpose="offer")
    case_transition(case=case, to_status="contacted", actor=kurzeme_coordinator)
    case.returnee.town = "Boston"  # a change, so the history holds a before/after pair
    case.returnee.save()
    return case


def findable(text):
    """Every place where a person could be found by a search for `text`."""
    return (
        Returnee.objects.filter(
            Q(first_name__icontains=text) | Q(last_name__icontains=text)
            | Q(email__icontains=text) | Q(phone__icontains=text)
        ).exists()
        or Interaction.objects.filter(summary__icontains=text).exists()
        or Email.objects.filter(Q(to__icontains=text) | Q(subject__icontains=text)).exists()
        or LogEntry.objects.filter(
            Q(object_repr__icontains=text) | Q(changes_text__icontains=text)
        ).exists()
        or any(text in json.dumps(entry.changes or {}, ensure_ascii=False)
               for entry in LogEntry.objects.all())
    )  # fmt: skip


def skeleton(case):
    case.refresh_from_db()
    return (
        case.reference, case.status, case.planning_region_id, case.municipality_id,
        sorted(case.needs.values_list("code", flat=True)), case.created_at,
        CaseEvent.objects.filter(case=case).count(), case.returnee.country.code,
        HouseholdMember.objects.filter(returnee=case.returnee).count(),
    )  # fmt: skip


def test_erasure_makes_the_person_unfindable_and_keeps_the_statistics(
    person_case, kurzeme_coordinator
):
    assert findable(NAME) and findable(EMAIL) and findable(PHONE)
    before = skeleton(person_case)

    returnee_erase(returnee=person_case.returnee, actor=kurzeme_coordinator)

    for text in (NAME, EMAIL, PHONE, "Peterborough", "Boston"):
        assert not findable(text), text
    assert skeleton(person_case) == before
    assert Erasure.objects.get().erased_by == kurzeme_coordinator
    entry = AuditEntry.objects.get(action="erasure")
    assert entry.reference == person_case.reference


def test_erasure_is_refused_the_second_time(person_case):
    returnee_erase(returnee=person_case.returnee)
    with pytest.raises(DomainError) as error:
        returnee_erase(returnee=person_case.returnee)
    assert error.value.message == ALREADY_ERASED


def test_erasure_page_asks_for_the_reference_before_erasing(
    client, person_case, kurzeme_coordinator
):
    client.force_login(kurzeme_coordinator)
    url = reverse("privacy:erase", args=[person_case.reference])

    wrong = client.post(url, {"confirmation": "KUR-1999-00001"})
    assert wrong.status_code == 200
    assert "KUR-1999-00001" in wrong.text  # what was typed is kept
    assert not Erasure.objects.exists()

    done = client.post(url, {"confirmation": person_case.reference.lower()}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("privacy:case", args=[person_case.reference])
    assert Erasure.objects.filter(returnee=person_case.returnee).exists()
    assert len(list(done.context["messages"])) == 1


@pytest.mark.parametrize(
    ("who", "status"), [("zemgale_coordinator", 404), ("specialist", 403), ("analyst", 403)]
)
def test_person_outside_scope_is_refused_for_access_and_erasure(
    client, person_case, who, status, request
):
    """Another region's coordinator: the same 404 as for no case; roles that do not work
    cases: 403 on every case page."""
    if who == "specialist":
        user = SpecialistFactory()
    elif who == "analyst":
        from tests.factories import AnalystFactory

        user = AnalystFactory()
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    reference = person_case.reference
    assert client.get(reverse("privacy:case", args=[reference])).status_code == status
    assert client.post(reverse("privacy:export", args=[reference])).status_code == status
    erase = client.post(reverse("privacy:erase", args=[reference]), {"confirmation": reference})
    assert erase.status_code == status
    assert not Erasure.objects.exists()


def test_anonymous_visitor_is_sent_to_login(client, person_case):
    response = client.get(reverse("privacy:case", args=[person_case.reference]))
    assert response.status_code == 302
    assert NAME not in response.url and person_case.reference in response.url


def test_access_request_zip_holds_everything_about_the_person(
    client, person_case, kurzeme_coordinator
):
    client.force_login(kurzeme_coordinator)
    response = client.post(reverse("privacy:export", args=[person_case.reference]))

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("personal-data.json"))
    assert data["person"]["last_name"] == NAME
    assert data["person"]["email"] == EMAIL
    assert data["household"] == [{"relation": "child", "birth_year": 2019}]
    (case,) = data["cases"]
    assert case["reference"] == person_case.reference
    assert [event["to"] for event in case["history"]] == ["contacted", "new"]
    assert case["contacts"][0]["summary"] == f"Runājām ar {NAME} par dzīvokli."
    assert case["emails"][0]["subject"] == f"Sveiki, {NAME}"
    first = next(offer for offer in case["offers"] if offer["version"] == 1)
    assert first["sections"][0]["text"] == f"Dzīvoklis ģimenei {NAME}."
    assert sorted(offer["status"] for offer in case["offers"]) == ["draft", "sent"]
    pdf_name = f"offers/{person_case.reference}-v1.pdf"
    assert archive.namelist() == ["personal-data.json", pdf_name]
    assert archive.read(pdf_name).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="access_request", actor=kurzeme_coordinator).exists()


def close_long_ago(case, actor, days):
    case_transition(case=case, to_status="closed", closed_reason="no_response", actor=actor)
    Case.objects.filter(pk=case.pk).update(status_changed_at=timezone.now() - timedelta(days=days))


def test_retention_dry_run_lists_and_changes_nothing(capsys, person_case, kurzeme_coordinator):
    close_long_ago(person_case, kurzeme_coordinator, days=800)
    CaseFactory(returnee__last_name="Jaunais")  # open: stays

    call_command("apply_retention", "--dry-run")

    out = capsys.readouterr().out
    assert f"would anonymise: {person_case.reference}" in out
    assert "1 people would be anonymised" in out
    assert NAME not in out
    assert not Erasure.objects.exists() and findable(NAME)


def test_retention_anonymises_only_people_closed_longer_than_the_period(
    capsys, person_case, kurzeme_coordinator
):
    close_long_ago(person_case, kurzeme_coordinator, days=800)
    recent = CaseFactory(returnee__last_name="Nesen")
    close_long_ago(recent, kurzeme_coordinator, days=100)
    second_case_open = CaseFactory(returnee__last_name="Divas")
    close_long_ago(second_case_open, kurzeme_coordinator, days=900)
    CaseFactory(returnee=second_case_open.returnee, planning_region=region("ZEM"))
    old = email_enqueue(
        to="nesen@example.com", subject="Sveiki", body="Teksts", case=recent, purpose="offer"
    )
    new = email_enqueue(
        to="nesen@example.com", subject="Vēlreiz", body="Teksts", case=recent, purpose="offer"
    )
    Email.objects.update(status="sent", sent_at=timezone.now() - timedelta(days=200))
    Email.objects.filter(pk=new.pk).update(sent_at=timezone.now())

    call_command("apply_retention")

    # The erased person's mail was emptied by the erasure; of the rest only the old one.
    assert "1 people anonymised, 1 sent e-mails emptied." in capsys.readouterr().out
    assert not findable(NAME)
    assert findable("Nesen") and findable("Divas")
    assert Email.objects.get(pk=old.pk).body == ""
    assert Email.objects.get(pk=new.pk).body == "Teksts"
    assert Erasure.objects.get().reason == "retention"


@pytest.mark.parametrize("months", ["0", "-3", "10000"])
def test_retention_with_a_nonsensical_period_is_refused(person_case, kurzeme_coordinator, months):
    close_long_ago(person_case, kurzeme_coordinator, days=800)
    with pytest.raises(CommandError, match=str(BAD_RETENTION_PERIOD)):
        call_command("apply_retention", "--months", months)
    assert findable(NAME)


def test_person_with_a_case_in_another_region_is_left_to_a_national_admin(
    client, person_case, kurzeme_coordinator, national_admin
):
    CaseFactory(returnee=person_case.returnee, planning_region=region("ZEM"))
    client.force_login(kurzeme_coordinator)
    reference = person_case.reference

    export = client.post(reverse("privacy:export", args=[reference]), follow=True)
    erase = client.post(
        reverse("privacy:erase", args=[reference]), {"confirmation": reference}, follow=True
    )

    for response in (export, erase):
        assert [str(m) for m in response.context["messages"]] == [str(OTHER_REGION_CASES)]
    assert findable(NAME) and not Erasure.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["access_request", "erasure"]).exists()

    client.force_login(national_admin)
    response = client.post(reverse("privacy:export", args=[reference]))
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("personal-data.json"))
    assert len(data["cases"]) == 2
