import io
import json
import zipfile
from datetime import timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry
from common.errors import DomainError
from coordinators.models import Case, CaseEvent, HouseholdMember, Interaction, Returnee
from coordinators.services.pipeline import case_transition
from jobs.schedule import SCHEDULE
from offers.models import Offer
from outbox.models import Email
from outbox.services import email_enqueue
from privacy.models import DataExport, Erasure
from privacy.services import (
    ALREADY_ERASED,
    BAD_RETENTION_PERIOD,
    OTHER_REGION_CASES,
    data_export_build,
    data_exports_prune,
    returnee_erase,
)
from tests.conftest import DATABASE_TASKS
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
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


def prepared_zip(client, case, capture):
    """Ask for the ZIP as the page does, let the worker build it (the immediate backend runs
    the task on commit), and download it from the link the page shows."""
    with capture(execute=True):
        asked = client.post(reverse("privacy:export", args=[case.reference]))
    assert asked.status_code == 302
    page = client.get(asked.url)
    export = DataExport.objects.filter(status=DataExport.Status.READY).latest("created_at")
    link = reverse("privacy:export_download", args=[case.reference, export.pk])
    assert link in page.text
    return client.get(link)


def test_access_request_zip_holds_everything_about_the_person(
    client, person_case, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    client.force_login(kurzeme_coordinator)
    response = prepared_zip(client, person_case, django_capture_on_commit_callbacks)

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
    client, person_case, kurzeme_coordinator, national_admin, django_capture_on_commit_callbacks
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
    assert not DataExport.objects.exists()  # refused at once: nothing left for the worker

    client.force_login(national_admin)
    response = prepared_zip(client, person_case, django_capture_on_commit_callbacks)
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("personal-data.json"))
    assert len(data["cases"]) == 2


# The ZIP is built by the worker, kept 24 hours, for its requester only ---------------------


@override_settings(TASKS=DATABASE_TASKS)
def test_the_request_only_asks_and_the_worker_builds_the_zip(
    client, person_case, kurzeme_coordinator, keep_test_connection, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    def no_zip_here(**kwargs):
        raise AssertionError("the ZIP was built inside the web request")

    monkeypatch.setattr("privacy.services.returnee_data_archive", no_zip_here)
    client.force_login(kurzeme_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export", args=[person_case.reference]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Personas dati tiek sagatavoti ZIP failā. Pēc minūtes pārlādējiet šo lapu, lai to "
        "lejupielādētu; tas būs pieejams 24 stundas."
    ]
    assert "Fails tiek sagatavots — pēc minūtes pārlādējiet lapu." in response.text
    export = DataExport.objects.get()
    assert (export.status, bytes(export.content)) == (DataExport.Status.PENDING, b"")
    assert DBTaskResult.objects.ready().get().task_path == "privacy.tasks.data_export_build_task"
    assert not AuditEntry.objects.filter(action="access_request").exists()
    link = reverse("privacy:export_download", args=[person_case.reference, export.pk])
    assert client.get(link).status_code == 404  # not ready yet
    monkeypatch.undo()
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    call_command("worker", "--once", stdout=StringIO())

    export.refresh_from_db()
    assert export.status == DataExport.Status.READY and export.finished_at is not None
    entry = AuditEntry.objects.get(action="access_request")
    assert (entry.actor, entry.reference, entry.ip_address) == (
        kurzeme_coordinator,
        person_case.reference,
        "127.0.0.1",
    )
    page = client.get(reverse("privacy:case", args=[person_case.reference]))
    assert link in page.text
    download = client.get(link)
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].endswith(f'"{person_case.reference}-personal-data.zip"')
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert names == ["personal-data.json", f"offers/{person_case.reference}-v1.pdf"]
    assert AuditEntry.objects.get(action="download").reference == person_case.reference
    assert NAME not in link and EMAIL not in link


@pytest.fixture
def ready_export(client, person_case, kurzeme_coordinator, django_capture_on_commit_callbacks):
    client.force_login(kurzeme_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export", args=[person_case.reference]))
    client.logout()
    export = DataExport.objects.get(status=DataExport.Status.READY)
    return export, reverse("privacy:export_download", args=[person_case.reference, export.pk])


def test_only_the_requester_and_a_national_admin_may_download_the_zip(
    client, ready_export, kurzeme_coordinator, zemgale_coordinator, national_admin
):
    export, link = ready_export
    colleague = CoordinatorFactory(username="kurzeme2")  # same region, did not ask
    for user, status in [
        (colleague, 404), (zemgale_coordinator, 404), (kurzeme_coordinator, 200),
        (national_admin, 200),
    ]:  # fmt: skip
        client.force_login(user)
        assert client.get(link).status_code == status, user
    client.force_login(colleague)
    page = client.get(reverse("privacy:case", args=[export.case.reference]))
    assert link not in page.text  # the list shows one's own requests
    downloads = AuditEntry.objects.filter(action="download")
    assert sorted(entry.actor.username for entry in downloads) == ["admin", "kurzeme"]


def test_after_24_hours_the_zip_is_gone_and_the_daily_job_deletes_it(
    client, ready_export, kurzeme_coordinator
):
    export, link = ready_export
    client.force_login(kurzeme_coordinator)
    later = timezone.now() + timedelta(hours=24, minutes=1)
    assert data_exports_prune() == 0  # still within its day
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())

    assert client.get(link).status_code == 404
    assert link not in client.get(reverse("privacy:case", args=[export.case.reference])).text
    assert data_exports_prune(now=later) == 1
    assert not DataExport.objects.exists()
    job = next(job for job in SCHEDULE if job.name == "data_exports_prune")
    assert import_string(job.function) is data_exports_prune


def test_erasure_deletes_the_persons_zips(ready_export, kurzeme_coordinator):
    export, _link = ready_export

    returnee_erase(returnee=export.case.returnee, actor=kurzeme_coordinator)

    assert not DataExport.objects.exists()


def test_asking_twice_while_it_is_prepared_makes_one_zip(client, person_case, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    url = reverse("privacy:export", args=[person_case.reference])
    client.post(url)  # no commit in this test: the task is not run, the export stays pending
    client.post(url)

    assert DataExport.objects.filter(status=DataExport.Status.PENDING).count() == 1


def test_a_zip_that_cannot_be_built_is_marked_failed(
    client, person_case, kurzeme_coordinator, monkeypatch
):
    client.force_login(kurzeme_coordinator)
    client.post(reverse("privacy:export", args=[person_case.reference]))
    export = DataExport.objects.get()
    monkeypatch.setattr("privacy.services._offer_pdfs", lambda cases: 1 / 0)

    with pytest.raises(ZeroDivisionError):  # so the worker records the task as failed
        data_export_build(export_id=str(export.pk))

    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED and bytes(export.content) == b""
    assert not AuditEntry.objects.filter(action="access_request").exists()
    page = client.get(reverse("privacy:case", args=[person_case.reference]))
    assert "Pieprasiet vēlreiz" in page.text


def test_an_imported_sent_offer_is_in_the_json_but_has_no_pdf(
    client, person_case, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    """An offer version imported from a region's history was sent before the portal: the ZIP
    lists it with its dates and makes no empty document for it."""
    Offer.objects.create(
        case=person_case,
        version=9,
        status=Offer.Status.SENT,
        sent_at=timezone.now() - timedelta(days=900),
        created_at=timezone.now() - timedelta(days=902),
        imported=True,
    )
    client.force_login(kurzeme_coordinator)
    response = prepared_zip(client, person_case, django_capture_on_commit_callbacks)

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    (case,) = json.loads(archive.read("personal-data.json"))["cases"]
    assert 9 in [offer["version"] for offer in case["offers"]]
    assert f"offers/{person_case.reference}-v9.pdf" not in archive.namelist()
    assert f"offers/{person_case.reference}-v1.pdf" in archive.namelist()
