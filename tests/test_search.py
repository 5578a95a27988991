"""The case list's search finds a person however the name is typed: without diacritics,
in another case, in Latin letters for a Cyrillic name and back; a phone however it is
written; a reference, or its number alone, never read as a phone. Same on both databases."""

import pytest
from django.urls import reverse

from common.folding import email_local_key, fold, surname_stem
from coordinators.models import Returnee
from coordinators.selectors.search import phone_tail, search_query_read
from privacy.services import returnee_erase
from tests.factories import CaseFactory, ReturneeFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    return client


def listed(client, q, **params):
    """References on the list for a search typed into the box (as the browser does)."""
    response = client.post(reverse("workspace:case_search"), {"q": q})
    assert q.lower() not in response["Location"].lower()  # no personal data in URLs
    response = client.get(reverse("workspace:case_list"), {"search": "on", **params})
    assert response.status_code == 200
    return [case.reference for case in response.context["cases"]]


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Ķēniņš", "kenins"),
        ("KENINS", "kenins"),
        ("Ģirts", "girts"),
        ("Žuringe", "zuringe"),
        ("Иванов", "ivanov"),
        ("Юрий", "iurii"),
        ("Yuri", "iuri"),
        ("Bērziņa  Līga", "berzina liga"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_fold_drops_case_diacritics_and_script(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("names", "stem"),
    [
        (("Kalniņš", "Kalniņa", "Kalniņu", "Kalniņam", "KALNINS"), "kalnin"),
        (("Bērziņš", "Bērziņa"), "berzin"),
        (("Ozols", "Ozola"), "ozol"),
        (("Mednis", "Medne"), "medn"),
        (("Ivanovs", "Ivanov", "Иванов", "Ivanova"), "ivanov"),
        (("Ose",), "ose"),
        (("Liepa-Kalniņa", "Liepa-Kalniņš"), "liep-kalnin"),
    ],
)
def test_surname_stem_folds_latvian_endings(names, stem):
    assert {surname_stem(name) for name in names} == {stem}


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("Janis.Berzins@gmail.com", "janisberzins"),
        ("janisberzins+lv@inbox.lv", "janisberzins"),
        ("jānis_bērziņš@example.org", "janisberzins"),
    ],
)
def test_email_local_key(address, key):
    assert email_local_key(address) == key


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("KUR-2024-00012", "reference", "KUR-2024-00012"),
        ("kur-2024-12", "reference", "KUR-2024-00012"),
        ("kur-2024", "reference_start", "KUR-2024"),
        ("ZEM-", "reference_start", "ZEM-"),
        ("00012", "number", "-00012"),
        ("12", "number", "-00012"),
        ("00007", "number", "-00007"),
        ("+371 2612 3456", "phone", "26123456"),
        ("0037126123456", "phone", "26123456"),
        ("26123456", "phone", "26123456"),
        ("085 123 4567", "phone", "851234567"),
        ("Zane.Ozolina@Example.lv", "email", "zane.ozolina@example.lv"),
    ],
)
def test_a_reference_is_recognised_before_a_phone(typed, kind, value):
    query = search_query_read(typed)
    assert (query.kind, query.value) == (kind, value)


def test_words_are_folded_and_an_empty_text_is_no_search():
    assert search_query_read("  Ķēniņš  Ģirts ").words == ("kenins", "girts")
    assert search_query_read("   ") is None
    assert phone_tail("+44 7911 123456") == "7911123456"


@pytest.mark.parametrize(
    ("typed", "first_name", "last_name"),
    [
        ("Kenins", "Ģirts", "Ķēniņš"),
        ("girts", "Ģirts", "Ķēniņš"),
        ("GIRTS KENINS", "Ģirts", "Ķēniņš"),
        ("ķēniņš", "Ģirts", "Ķēniņš"),
        ("zuringe", "Ilze", "Žuringe"),
        ("berzina", "Līga", "Bērziņa"),
        ("ivanov", "Сергей", "Иванов"),
        ("sergei ivanov", "Сергей", "Иванов"),
        ("иванов", "Sergejs", "Ivanovs"),
    ],
)
def test_search_finds_a_name_however_it_is_typed(coordinator_client, typed, first_name, last_name):
    wanted = CaseFactory(
        returnee=ReturneeFactory(first_name=first_name, last_name=last_name, phone="")
    )
    CaseFactory(returnee=ReturneeFactory(first_name="Anna", last_name="Ozola"))

    assert listed(coordinator_client, typed) == [wanted.reference]


@pytest.mark.parametrize("typed", ["+371 2612 3456", "0037126123456", "26123456", "2612 3456"])
def test_search_finds_a_phone_however_it_is_written(coordinator_client, typed):
    wanted = CaseFactory(returnee=ReturneeFactory(phone="+37126123456"))
    CaseFactory(returnee=ReturneeFactory(phone="+37126123457"))

    assert listed(coordinator_client, typed) == [wanted.reference]


def test_search_finds_an_email_address_folded(coordinator_client):
    wanted = CaseFactory(returnee=ReturneeFactory(email="zane.ozolina@example.lv"))
    CaseFactory()

    assert listed(coordinator_client, "Zane.Ozolina@") == [wanted.reference]
    assert listed(coordinator_client, "ZANE.OZOLINA@EXAMPLE.LV") == [wanted.reference]
    assert listed(coordinator_client, "example.lv") == [wanted.reference]


def test_a_reference_number_alone_finds_that_number_only(coordinator_client):
    cases = [CaseFactory(returnee=ReturneeFactory(phone="+37120000007")) for _ in range(12)]
    seventh = cases[6]

    assert seventh.reference.endswith("-00007")
    assert listed(coordinator_client, "00007") == [seventh.reference]
    assert listed(coordinator_client, "7") == [seventh.reference]
    prefix, year, _number = seventh.reference.split("-")
    assert listed(coordinator_client, f"{prefix.lower()}-{year}-7") == [seventh.reference]
    assert len(listed(coordinator_client, f"{prefix}-{year}")) == 12


def test_best_match_first_whole_word_then_start_then_inside(coordinator_client):
    inside = CaseFactory(returnee=ReturneeFactory(first_name="Anna", last_name="Pakalns"))
    start = CaseFactory(returnee=ReturneeFactory(first_name="Anna", last_name="Kalnsone"))
    whole = CaseFactory(returnee=ReturneeFactory(first_name="Anna", last_name="Kalns"))

    assert listed(coordinator_client, "kalns") == [
        whole.reference,
        start.reference,
        inside.reference,
    ]
    # Another order, when asked for, wins over the rank.
    assert listed(coordinator_client, "kalns", sort="-created")[0] == whole.reference
    assert listed(coordinator_client, "kalns", sort="created")[0] == inside.reference


def test_search_stays_in_the_coordinators_scope(coordinator_client):
    CaseFactory(
        planning_region=region("ZEM"),
        returnee=ReturneeFactory(first_name="Ģirts", last_name="Ķēniņš"),
    )

    assert listed(coordinator_client, "kenins") == []


def test_keys_follow_every_save_of_the_name_and_address():
    person = ReturneeFactory(first_name="Ģirts", last_name="Ķēniņš", email="G.K@example.lv")
    assert person.search_text == " girts kenins g.k@example.lv "
    assert (person.name_key, person.email_key) == ("girts kenin", "gk")

    person.last_name = "Bērziņš"
    person.save(update_fields=["last_name"])
    person.refresh_from_db()

    assert person.search_text == " girts berzins g.k@example.lv "
    assert person.name_key == "girts berzin"


def test_erasure_empties_the_keys():
    case = CaseFactory(returnee=ReturneeFactory(first_name="Ģirts", last_name="Ķēniņš"))

    returnee_erase(returnee=case.returnee)

    erased = Returnee.objects.get(pk=case.returnee_id)
    assert (erased.search_text, erased.name_key, erased.email_key) == ("", "", "")


def test_erasure_forgets_a_folded_search_for_the_person(coordinator_client):
    from django.contrib.sessions.models import Session

    from workspace.services import SEARCH_SESSION_KEY

    case = CaseFactory(returnee=ReturneeFactory(first_name="Ilze", last_name="Žuringe"))
    coordinator_client.post(reverse("workspace:case_search"), {"q": "zuringe"})

    returnee_erase(returnee=case.returnee)

    kept = [session.get_decoded().get(SEARCH_SESSION_KEY) for session in Session.objects.all()]
    assert "zuringe" not in kept
