"""Test data. Related factories stay consistent: a case's municipality and coordinator belong
to the case's planning region."""

import datetime

import factory
from django.utils import timezone

from coordinators.models import Case, HouseholdMember, Interaction, Returnee, User
from coordinators.services.cases import case_create
from municipalities.models import Municipality, MunicipalService, NeedCategory, PlanningRegion
from offers.models import Offer, OfferItem


def region(code):
    """One of the five planning regions that the data migration loads."""
    return PlanningRegion.objects.get(code=code)


def municipality(name):
    return Municipality.objects.get(name=name)


def need(code):
    return NeedCategory.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Anna"
    last_name = "Kalniņa"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.lv")
    # No is_staff: User.save() derives it from the role (national administrators only).
    password = factory.django.Password("parole-123")


class NationalAdminFactory(UserFactory):
    role = User.Role.NATIONAL_ADMIN


class CoordinatorFactory(UserFactory):
    role = User.Role.REGIONAL_COORDINATOR
    planning_region = factory.LazyFunction(lambda: region("KUR"))


class AnalystFactory(UserFactory):
    role = User.Role.REGIONAL_ANALYST
    planning_region = factory.LazyFunction(lambda: region("KUR"))


class SpecialistFactory(UserFactory):
    role = User.Role.MUNICIPAL_SPECIALIST
    municipality = factory.LazyFunction(lambda: municipality("Liepājas valstspilsēta"))


class ReturneeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Returnee

    first_name = "Ģirts"
    last_name = factory.Sequence(lambda n: f"Ķēniņš{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    phone = "+447911123456"
    country = "GB"
    town = "London"
    consent_given_at = factory.LazyFunction(timezone.now)
    consent_version = "2026-11"


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    returnee = factory.SubFactory(ReturneeFactory)
    relation = HouseholdMember.Relation.CHILD
    birth_year = 2018


class CaseFactory(factory.django.DjangoModelFactory):
    """Cases are made through the service, so each has its reference and "created" event."""

    class Meta:
        model = Case

    returnee = factory.SubFactory(ReturneeFactory)
    planning_region = factory.LazyFunction(lambda: region("KUR"))
    municipality = factory.LazyAttribute(
        lambda case: case.planning_region.municipalities.first() if case.planning_region else None
    )
    source = Case.Source.CONTACT_FORM
    timeframe = Case.Timeframe.WITHIN_6_MONTHS

    @classmethod
    def _create(cls, model_class, *args, needs=(), **kwargs):
        return case_create(case=model_class(*args, **kwargs), needs=needs)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    case = factory.SubFactory(CaseFactory)
    kind = Interaction.Kind.PHONE
    summary = "Runājām par bērnudārzu."


class MunicipalServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalService

    municipality = factory.LazyFunction(lambda: municipality("Liepājas valstspilsēta"))
    category = factory.LazyFunction(lambda: need("family"))
    title = "Vieta pirmsskolas izglītības iestādē"
    description = "Rindas kārtībā, prioritāte remigrantu ģimenēm."
    contact = "izglitiba@liepaja.lv"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    case = factory.SubFactory(CaseFactory)


class OfferItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferItem

    offer = factory.SubFactory(OfferFactory)
    need = factory.LazyFunction(lambda: need("housing"))
    title = "Pašvaldības dzīvoklis"
    text = "Īres dzīvoklis uz 2 gadiem."


class MunicipalityRequestFactory(factory.django.DjangoModelFactory):
    """A question to the municipality of interest of the case, about the family's needs."""

    class Meta:
        model = "coordinators.MunicipalityRequest"

    case = factory.SubFactory(CaseFactory)
    municipality = factory.LazyAttribute(lambda request: request.case.municipality)
    need = factory.LazyFunction(lambda: need("family"))
    question = "Vai ir vieta bērnudārzā 2020. gadā dzimušam bērnam?"


def offer_draft_with_sections(*, case, actor):
    """A first draft with one empty section per need of the case, titled by the need (in
    the offer's language), as a coordinator would start filling it in."""
    from django.utils import translation

    from offers import services

    offer = services.offer_create_draft(case=case, actor=actor)
    with translation.override(offer.language):
        for need in case.needs.order_by("position", "code"):
            services.offer_item_add(offer=offer, need=need, title=need.label)
    return offer


class EventFactory(factory.django.DjangoModelFactory):
    """A published seminar of Kurzeme in Dublin, a week from now."""

    class Meta:
        model = "events.Event"

    title = "Karjeras iespējas un dzīves kvalitāte Liepājā"
    kind = "seminar"
    organiser_region = factory.LazyFunction(lambda: region("KUR"))
    country = "IE"
    city = "Dublin"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=3))
    language = "lv"
    capacity = 40
    published = True


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Attendee"

    event = factory.SubFactory(EventFactory)
    first_name = "Aija"
    last_name = factory.Sequence(lambda n: f"Ozola{n}")
    email = factory.Sequence(lambda n: f"attendee{n}@example.org")
    country = "IE"
    language = "lv"
    token_digest = factory.Sequence(lambda n: f"token-{n}")
    contact_consent_at = factory.LazyFunction(timezone.now)


def grant_call(*, actor=None, members=(), chair=None, region_code="KUR", days_left=10, **fields):
    """A call of the grant competition ("Remigrācijas sekmēšanas pakalpojumi pašvaldībās")
    with three weighted criteria, open for `days_left` more days (negative: closed)."""
    import datetime
    from decimal import Decimal

    from grants.models import ActivityKind
    from grants.services import call_create

    actor = actor or NationalAdminFactory()
    members = list(members) or [CoordinatorFactory(planning_region=region(region_code))]
    values = {
        "title": "Remigrācijas sekmēšanas pakalpojumi pašvaldībās 2026",
        "planning_region": region(region_code),
        "total_budget": Decimal("40000.00"),
        "maximum_per_municipality": Decimal("10000.00"),
        "deadline": timezone.now() + datetime.timedelta(days=days_left),
        "activity_kinds": ActivityKind.values,
        "criteria": [("Atbilstība", 3, 5), ("Auditorija", 2, 5), ("Izmaksas", 1, 5)],
        "members": members,
        "chair": chair or members[0],
    }
    return call_create(actor=actor, **(values | fields))


def grant_application(*, call, specialist, costs=("9900.00",), submit=True):
    """A municipality's application with one seminar whose costs are `costs` (EUR)."""
    import datetime
    from decimal import Decimal

    from grants import services

    application = services.application_create(
        call=call, actor=specialist, title="Karjeras iespējas un dzīves kvalitāte Liepājā"
    )
    services.activity_add(
        application=application, kind="seminars", title="Semināri Dublinā un Londonā",
        planned_start=datetime.date(2026, 3, 1), planned_end=datetime.date(2026, 5, 31),
        expected_reach=120,
        budget_lines=[(f"Izmaksas {n}", Decimal(amount)) for n, amount in enumerate(costs)],
    )  # fmt: skip
    if submit:
        services.application_submit(application=application)
    application.refresh_from_db()
    return application
