"""Synthetic demo data: returnees, households, cases with a believable history, interactions,
municipality requests, offers, a service catalogue and one login per role.

Everything is made up (example.com addresses, invented names); no real person's data.
Rows are written with bulk_create so 10,000 returnees take seconds, not minutes.
"""

import random
import sys
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from coordinators.models import (
    Case,
    HouseholdMember,
    Interaction,
    MunicipalityRequest,
    Returnee,
    User,
)
from coordinators.services.history import MAIN_PATH, Step, cases_bulk_create, interaction_build
from demo.builders import municipality_request_build, staff_user_ensure
from demo.data import (
    COUNTRIES,
    FIRST_NAMES,
    INTERACTION_TEXTS,
    LAST_NAMES,
    REGION_WEIGHTS,
    SERVICE_TEMPLATES,
    slug,
)
from municipalities.models import Municipality, MunicipalService, NeedCategory, PlanningRegion
from offers.history import offers_from_history
from offers.models import Offer, OfferItem

DEMO_PASSWORD = "demo-parole-2026"  # noqa: S105 - printed for the demo, refused in production
PROGRAMME_START = datetime(2018, 3, 1)
BATCH = 2000
REQUEST_QUESTION = "Vai ir pieejama vieta bērnudārzā bērnam (4 gadi) no nākamā rudens?"
REQUEST_ANSWER = "Jā, vieta ir pieejama no 1. septembra; jāpiesakās rindā."
INTERACTION_KINDS = ["phone", "email", "video", "meeting"]


class Command(BaseCommand):
    help = "Load synthetic demo data and demo logins (one per role)."

    def add_arguments(self, parser):
        """--returnees, --seed, --if-empty and --force."""
        parser.add_argument("--returnees", type=int, default=400, help="how many people")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if returnees already exist"
        )
        parser.add_argument(
            "--force", action="store_true", help="allow loading with DEBUG off (not production!)"
        )

    def handle(self, *args, returnees, seed, if_empty, force, **options):
        """Load everything in one transaction (unless --if-empty finds people), then print the
        logins."""
        if not (settings.DEBUG or force):
            raise CommandError(
                "Demo data has known passwords: run with DEBUG=1, or --force on a test system."
            )
        if returnees < 0:
            raise CommandError("--returnees must be 0 or more.")
        if if_empty and Returnee.objects.exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            self.random = random.Random(seed)
            with transaction.atomic():
                users = self.create_users()
                self.create_catalogue()
                self.create_people(returnees, users)
        self.print_logins()

    # -- people and logins ------------------------------------------------------------------

    def create_users(self):
        """One login per role with the demo password; returns the coordinators by region code."""
        regions = {region.code: region for region in PlanningRegion.objects.all()}
        specs = [
            ("admin", User.Role.NATIONAL_ADMIN, None, None, "Inga", "Vanaga", True),
            ("kurzeme", User.Role.REGIONAL_COORDINATOR, "KUR", None, "Kristīne", "Kalviša", False),
            ("zemgale", User.Role.REGIONAL_COORDINATOR, "ZEM", None, "Zigmārs", "Zālītis", False),
            ("riga", User.Role.REGIONAL_COORDINATOR, "RIG", None, "Rūta", "Riekstiņa", False),
            ("vidzeme", User.Role.REGIONAL_COORDINATOR, "VID", None, "Viesturs", "Vējš", False),
            ("latgale", User.Role.REGIONAL_COORDINATOR, "LAT", None, "Laima", "Lāce", False),
            ("liepaja", User.Role.MUNICIPAL_SPECIALIST, None, "Liepājas valstspilsēta",
             "Līva", "Priede", False),
            ("analitikis", User.Role.REGIONAL_ANALYST, "KUR", None, "Aivars", "Skaitlis", False),
        ]  # fmt: skip
        coordinators = {}
        for username, role, region, municipality, first, last, superuser in specs:
            user = staff_user_ensure(
                username=username,
                role=role,
                password=DEMO_PASSWORD,
                planning_region=regions.get(region),
                municipality=Municipality.objects.filter(name=municipality).first(),
                first_name=first,
                last_name=last,
                email=f"{username}@demo.remigracija.example",
                phone="+37120012345",
                is_superuser=superuser,
            )
            if role == User.Role.REGIONAL_COORDINATOR:
                coordinators[region] = user
        return coordinators

    def print_logins(self):
        """The demo logins and the password they share."""
        users = User.objects.filter(email__endswith="@demo.remigracija.example").order_by("id")
        if not users:
            return
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for user in users:
            where = user.planning_region or user.municipality or ""
            role = user.get_role_display()
            self.stdout.write(f"  {user.username:<12} {role} {where}".rstrip())

    def create_catalogue(self):
        """One service per need category for every municipality, unless there is a catalogue."""
        if MunicipalService.objects.exists():
            return
        categories = {category.code: category for category in NeedCategory.objects.all()}
        services = []
        for municipality in Municipality.objects.all():
            for code, templates in SERVICE_TEMPLATES.items():
                for title, description in self.random.sample(templates, k=1):
                    services.append(
                        MunicipalService(
                            municipality=municipality,
                            category=categories[code],
                            title=title,
                            description=description,
                            contact=f"remigracija@{slug(municipality.name)}.example",
                        )
                    )
        MunicipalService.objects.bulk_create(services)

    def create_people(self, count, coordinators):
        """`count` returnees with households and a case each, in batches, with a progress line."""
        rnd = self.random
        now = timezone.now()
        regions = list(PlanningRegion.objects.all())
        municipalities = defaultdict(list)
        for municipality in Municipality.objects.all():
            municipalities[municipality.planning_region_id].append(municipality)
        needs = list(NeedCategory.objects.all())
        services = defaultdict(list)
        for service in MunicipalService.objects.all():
            services[(service.municipality_id, service.category_id)].append(service)
        offset = Returnee.objects.count()
        # Contacts arrive in time order, so reference numbers grow with the dates.
        moments = sorted(random_moment(rnd, PROGRAMME_START, now) for _ in range(count))

        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            people = [
                # keys_fill: bulk_create skips save(), which fills the search keys.
                self.make_returnee(offset + start + index, moments[start + index]).keys_fill()
                for index in range(size)
            ]
            Returnee.objects.bulk_create(people)
            HouseholdMember.objects.bulk_create(
                member for person in people for member in self.make_household(person, now)
            )
            cases = [
                self.make_case(person, regions, municipalities, coordinators) for person in people
            ]
            needs_of = [
                sorted(rnd.sample(needs, k=rnd.randint(1, 3)), key=lambda need: need.position)
                for _case in cases
            ]
            self.create_history(cases, needs_of, services, now)
            self.progress(start + size, count)
        if count:
            sys.stdout.write("\n")

    def progress(self, done, total):
        """Rewrite the progress line in place."""
        self.stdout.write(f"\rReturnees: {done:>7} / {total} ({done * 100 // total}%)", ending="")
        self.stdout.flush()

    def make_returnee(self, number, created):
        """An unsaved returnee: a Latvian name, a diaspora country, an example.com address."""
        rnd = self.random
        female = rnd.random() < 0.55
        first = rnd.choice(FIRST_NAMES)[female]
        last = rnd.choice(LAST_NAMES)[female]
        country, _, towns, prefix, digits = rnd.choices(
            COUNTRIES, weights=[country[1] for country in COUNTRIES]
        )[0]
        return Returnee(
            first_name=first,
            last_name=last,
            email=f"{slug(first)}.{slug(last)}.{number}@example.com",
            phone=prefix + "".join(str(rnd.randint(0, 9)) for _ in range(digits)),
            country=country,
            town=rnd.choice(towns),
            preferred_language=rnd.choices(["lv", "en", "ru"], weights=[80, 12, 8])[0],
            consent_given_at=created,
            consent_version="2026-11",
            created_at=created,
        )

    def make_household(self, person, now):
        """Unsaved household members: a partner more often than not, up to three children."""
        rnd = self.random
        members = []
        if rnd.random() < 0.6:
            members.append(
                HouseholdMember(
                    returnee=person,
                    relation=HouseholdMember.Relation.PARTNER,
                    birth_year=now.year - rnd.randint(25, 50),
                )
            )
        for _ in range(rnd.choices([0, 1, 2, 3], weights=[35, 30, 25, 10])[0]):
            members.append(
                HouseholdMember(
                    returnee=person,
                    relation=HouseholdMember.Relation.CHILD,
                    birth_year=now.year - rnd.randint(0, 17),
                )
            )
        return members

    def make_case(self, person, regions, municipalities, coordinators):
        """An unsaved new case in a weighted region (or the national queue), created when the
        person got in touch."""
        rnd = self.random
        undecided = rnd.random() < 0.06
        region = (
            None
            if undecided
            else rnd.choices(regions, weights=[REGION_WEIGHTS[region.code] for region in regions])[
                0
            ]
        )
        municipality = (
            rnd.choice(municipalities[region.pk]) if region and rnd.random() < 0.8 else None
        )
        return Case(
            returnee=person,
            planning_region=region,
            municipality=municipality,
            coordinator=coordinators.get(region.code) if region else None,
            source=rnd.choices(Case.Source.values, weights=[70, 12, 6, 9, 3])[0],
            timeframe=rnd.choice(Case.Timeframe.values),
            created_at=person.created_at,
        )

    def create_history(self, cases, needs_of, services, now):
        """Walk each case along the pipeline from its creation to today; save the cases with
        the events, interactions, municipality requests and offers that walk leaves behind."""
        histories, interactions, requests, offers, items_for = [], [], [], [], []
        for case, needs in zip(cases, needs_of, strict=True):
            steps, request = self.walk(case, needs, interactions, now)
            status = steps[-1].status if steps else Case.Status.NEW
            if request:
                requests.append(request)
            case_offers = offers_from_history(case=case, steps=steps)
            if status == Case.Status.DECIDED_TO_RETURN and case_offers:
                case_offers[-1].status = Offer.Status.ACCEPTED
                case_offers[-1].responded_at = steps[-1].when
            offers.extend(case_offers)
            items_for.extend((offer, needs) for offer in case_offers)
            if status not in Case.FINAL_STATUSES:
                case.next_follow_up = timezone.localdate() + timedelta(
                    days=self.random.randint(-10, 30)
                )
            histories.append(steps)
        cases_bulk_create(cases=cases, histories=histories, needs=needs_of)
        Interaction.objects.bulk_create(interactions)
        MunicipalityRequest.objects.bulk_create(requests)
        Offer.objects.bulk_create(offers)
        OfferItem.objects.bulk_create(self.make_offer_items(items_for, services))

    def walk(self, case, needs, interactions, now):
        """A random number of steps along the main path, an interaction at each, a question to
        the municipality once the needs are assessed; old open cases may be closed."""
        rnd = self.random
        coordinator = case.coordinator
        steps, asked = [], None
        moment = case.created_at
        count = 0 if case.planning_region is None else rnd.randint(0, len(MAIN_PATH))
        for target in MAIN_PATH[:count]:
            moment = moment + timedelta(days=rnd.randint(3, 60))
            if moment >= now:
                break
            steps.append(Step(target, moment, actor=coordinator))
            interactions.append(
                interaction_build(
                    case=case,
                    kind=rnd.choice(INTERACTION_KINDS),
                    summary=rnd.choice(INTERACTION_TEXTS),
                    when=moment,
                    author=coordinator,
                )
            )
            if target == Case.Status.NEEDS_ASSESSED and case.municipality_id:
                answered = moment + timedelta(days=rnd.randint(2, 20))
                asked = (moment, answered if answered < now and rnd.random() < 0.8 else None)
        status = steps[-1].status if steps else Case.Status.NEW
        # A year without news: half of such cases are closed 1-7 months after the last step
        # (always before today, since the last step is over a year ago).
        if status not in Case.FINAL_STATUSES and (now - moment).days > 365 and rnd.random() < 0.5:
            moment = moment + timedelta(days=rnd.randint(30, 200))
            reason = rnd.choice(Case.ClosedReason.values)
            steps.append(Step(Case.Status.CLOSED, moment, reason, coordinator))
            status = Case.Status.CLOSED
        if asked is None:
            return steps, None
        asked_at, answered_at = asked
        if status in (Case.Status.NEEDS_ASSESSED, Case.Status.OFFER_PREPARATION):
            answered_at = None  # the coordinator is still waiting for what the municipality offers
        request = municipality_request_build(
            case=case,
            need=needs[0],
            question=REQUEST_QUESTION,
            asked_at=asked_at,
            created_by=coordinator,
            answer=REQUEST_ANSWER if answered_at else "",
            answered_at=answered_at,
        )
        return steps, request

    def make_offer_items(self, items_for, services):
        """The offer's sections, one per need, from the municipality's catalogue if it has one."""
        items = []
        for offer, needs in items_for:
            case = offer.case
            for position, need in enumerate(needs, start=1):
                choices = services.get((case.municipality_id, need.pk), [])
                service = choices[0] if choices else None
                items.append(
                    OfferItem(
                        offer=offer,
                        need=need,
                        service=service,
                        title=service.title if service else need.name,
                        text=service.description
                        if service
                        else "Koordinators sazināsies ar jums par iespējām.",
                        contact=service.contact if service else "",
                        position=position,
                    )
                )
        return items


def random_moment(rnd, start, end):
    """A moment between 9:00 Riga time on `start`'s day and `end`."""
    start = timezone.make_aware(datetime.combine(start.date(), time(9)))
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rnd.randint(0, seconds))
