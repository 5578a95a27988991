import pytest
from django.core.management import CommandError, call_command

from coordinators.models import ALLOWED_TRANSITIONS, Case, CaseEvent, Returnee, User
from offers.models import Offer

pytestmark = pytest.mark.django_db


def seed(capsys, *args):
    call_command("seed_demo", "--force", *args)
    return capsys.readouterr().out


def test_seed_demo_creates_people_cases_and_a_login_per_role(capsys):
    out = seed(capsys, "--returnees", "150")

    assert Returnee.objects.count() == 150
    assert Case.objects.count() == 150
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
    assert User.objects.get(username="admin").check_password("demo-parole-2026")
    assert "demo-parole-2026" in out and "kurzeme" in out
    assert "150 / 150 (100%)" in out
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"new", "returned", "closed"} <= statuses
    assert Case.objects.values("planning_region").distinct().count() == 6  # 5 + national queue
    assert Offer.objects.filter(status__in=["sent", "accepted"]).exists()


def test_demo_history_follows_the_pipeline(capsys):
    seed(capsys, "--returnees", "120")

    for case in Case.objects.prefetch_related("events"):
        steps = sorted(case.events.all(), key=lambda event: (event.created_at, event.id))
        assert steps[0].kind == CaseEvent.Kind.CREATED
        status = Case.Status.NEW
        for event in steps[1:]:
            assert event.from_value == status
            assert event.to_value in ALLOWED_TRANSITIONS[status]
            status = event.to_value
        assert case.status == status


def test_demo_names_keep_diacritics_and_addresses_are_synthetic(capsys):
    seed(capsys, "--returnees", "200")
    names = "".join(Returnee.objects.values_list("last_name", flat=True))
    assert set("āēīūšņķļģčž") & set(names)
    domains = {email.split("@")[1] for email in Returnee.objects.values_list("email", flat=True)}
    assert domains == {"example.com"}


def test_seed_demo_if_empty_adds_nothing_the_second_time(capsys):
    seed(capsys, "--returnees", "30")
    out = seed(capsys, "--returnees", "30", "--if-empty")
    assert Returnee.objects.count() == 30
    assert "already loaded" in out


def test_reference_numbers_grow_with_dates(capsys):
    seed(capsys, "--returnees", "80")
    by_sequence = {}
    for reference in Case.objects.order_by("created_at", "id").values_list("reference", flat=True):
        prefix_and_year = reference.rsplit("-", 1)[0]
        by_sequence.setdefault(prefix_and_year, []).append(reference)
    assert len(by_sequence) > 5
    for references in by_sequence.values():
        assert references == sorted(references)
        assert references[0].endswith("-00001")


def test_seed_demo_refuses_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="known passwords"):
        call_command("seed_demo", "--returnees", "1")
    assert not Returnee.objects.exists()
