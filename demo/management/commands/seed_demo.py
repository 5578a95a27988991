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
    ALLOWED_TRANSITIONS,
    Case,
    CaseEvent,
    HouseholdMember,
    Interaction,
    MunicipalityRequest,
    Returnee,
    User,
)
from coordinators.services.references import reference_allocate, reference_prefix
from municipalities.models import Municipality, MunicipalService, NeedCategory, PlanningRegion
from offers.models import Offer, OfferItem

DEMO_PASSWORD = "demo-parole-2026"  # noqa: S105 - printed for the demo, refused in production
PROGRAMME_START = datetime(2018, 3, 1)
BATCH = 2000

# (male first name, female first name) and surnames as (male form, female form).
FIRST_NAMES = [
    ("Jānis", "Anna"), ("Andris", "Ilze"), ("Mārtiņš", "Līga"), ("Ģirts", "Ieva"),
    ("Kārlis", "Kristīne"), ("Edgars", "Dace"), ("Uldis", "Inese"), ("Raitis", "Zane"),
    ("Oskars", "Laura"), ("Artūrs", "Elīna"), ("Māris", "Sanita"), ("Rihards", "Agnese"),
    ("Valdis", "Baiba"), ("Krišjānis", "Madara"), ("Roberts", "Evija"), ("Dāvis", "Anete"),
    ("Aigars", "Linda"), ("Gatis", "Gunta"), ("Ēriks", "Ērika"), ("Ņikita", "Jeļena"),
]  # fmt: skip
LAST_NAMES = [
    ("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"),
    ("Jansons", "Jansone"), ("Ozols", "Ozola"), ("Liepiņš", "Liepiņa"), ("Krūmiņš", "Krūmiņa"),
    ("Balodis", "Balode"), ("Zariņš", "Zariņa"), ("Pētersons", "Pētersone"),
    ("Kļaviņš", "Kļaviņa"), ("Vītols", "Vītola"), ("Ķēniņš", "Ķēniņa"), ("Šmits", "Šmite"),
    ("Žagars", "Žagare"), ("Gailis", "Gaile"), ("Celmiņš", "Celmiņa"), ("Āboliņš", "Āboliņa"),
    ("Lapiņš", "Lapiņa"), ("Ivanovs", "Ivanova"),
]  # fmt: skip
# Country, weight, towns, phone prefix and digits after it.
COUNTRIES = [
    ("GB", 30, ["London", "Peterborough", "Boston", "Manchester", "Birmingham"], "+447", 9),
    ("IE", 14, ["Dublin", "Cork", "Limerick", "Galway"], "+35385", 7),
    ("DE", 14, ["Berlin", "München", "Hamburg", "Köln"], "+49151", 8),
    ("NO", 10, ["Oslo", "Bergen", "Stavanger", "Trondheim"], "+474", 7),
    ("SE", 6, ["Stockholm", "Göteborg", "Malmö"], "+4670", 7),
    ("NL", 6, ["Amsterdam", "Rotterdam", "Den Haag"], "+316", 8),
    ("DK", 5, ["København", "Aarhus", "Odense"], "+4520", 6),
    ("US", 4, ["New York", "Chicago", "Seattle"], "+1202555", 4),
    ("FI", 3, ["Helsinki", "Espoo", "Tampere"], "+35840", 7),
    ("EE", 2, ["Tallinn", "Tartu"], "+3725", 7),
]  # fmt: skip
REGION_WEIGHTS = {"KUR": 30, "ZEM": 15, "RIG": 25, "VID": 15, "LAT": 15}
SERVICE_TEMPLATES = {
    "family": [
        (
            "Vieta pirmsskolas izglītības iestādē",
            "Remigrantu ģimenēm vieta bērnudārzā rindas kārtībā; rindā var pieteikties no ārvalstīm.",
        ),
        (
            "Latviešu valodas apmācība bērniem",
            "Bezmaksas nodarbības skolēniem, kuri atgriežas no ārvalstīm.",
        ),
        (
            "Skolas izvēles konsultācija",
            "Izglītības pārvalde palīdz izvēlēties skolu un sagatavot dokumentus.",
        ),
    ],
    "housing": [
        ("Pašvaldības īres dzīvoklis", "Īres dzīvokļi remigrantu ģimenēm uz laiku līdz 2 gadiem."),
        ("Īres līdzfinansējums", "Daļēja īres maksas kompensācija pirmajos 6 mēnešos."),
    ],
    "work": [
        (
            "Vakances pašvaldības iestādēs",
            "Aktuālās vakances izglītībā, sociālajā jomā un pārvaldē.",
        ),
        (
            "Kvalifikācijas atzīšanas konsultācija",
            "Palīdzība ārvalstīs iegūtas izglītības atzīšanā.",
        ),
    ],
    "business": [
        ("Biznesa inkubators", "Telpas un mentori jaunajiem uzņēmējiem pirmos 2 gadus."),
        ("Grants uzņēmējdarbības uzsākšanai", "Līdz 5000 EUR konkursa kārtībā jaunam uzņēmumam."),
    ],
    "social": [
        ("Sociālā dienesta konsultācija", "Pabalsti, ģimenes ārsta reģistrācija, dokumenti."),
    ],
    "adult_education": [
        (
            "Pieaugušo izglītības kursi",
            "Profesionālās pilnveides kursi un valodu kursi pieaugušajiem.",
        ),
    ],
}
INTERACTION_TEXTS = [
    "Pirmais zvans: noskaidrojām ģimenes situāciju un plānoto atgriešanās laiku.",
    "Nosūtīju informāciju par bērnudārza rindu un skolām.",
    "Videozvans ar ģimeni; interesē darbs loģistikā un īres dzīvoklis.",
    "E-pastā atsūtīja precizētas vajadzības.",
    "Satikāmies diasporas seminārā; runājām par uzņēmējdarbības atbalstu.",
    "Atgādinājums par piedāvājumu; ģimene vēl domā.",
]
PATH = [
    Case.Status.CONTACTED,
    Case.Status.NEEDS_ASSESSED,
    Case.Status.OFFER_PREPARATION,
    Case.Status.OFFER_SENT,
    Case.Status.DECIDED_TO_RETURN,
    Case.Status.RETURNED,
]


class Command(BaseCommand):
    help = "Load synthetic demo data and demo logins (one per role)."

    def add_arguments(self, parser):
        parser.add_argument("--returnees", type=int, default=400, help="how many people")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if returnees already exist"
        )
        parser.add_argument(
            "--force", action="store_true", help="allow loading with DEBUG off (not production!)"
        )

    def handle(self, *args, returnees, seed, if_empty, force, **options):
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
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "role": role,
                    "planning_region": regions.get(region),
                    "municipality": Municipality.objects.filter(name=municipality).first(),
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.remigracija.example",
                    "phone": "+37120012345",
                    "is_staff": True,
                    "is_superuser": superuser,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if role == User.Role.REGIONAL_COORDINATOR:
                coordinators[region] = user
        return coordinators

    def print_logins(self):
        users = User.objects.filter(email__endswith="@demo.remigracija.example").order_by("id")
        if not users:
            return
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for user in users:
            where = user.planning_region or user.municipality or ""
            role = user.get_role_display()
            self.stdout.write(f"  {user.username:<12} {role} {where}".rstrip())

    def create_catalogue(self):
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
                self.make_returnee(offset + start + index, moments[start + index])
                for index in range(size)
            ]
            Returnee.objects.bulk_create(people)
            HouseholdMember.objects.bulk_create(
                member for person in people for member in self.make_household(person, now)
            )
            cases = [
                self.make_case(person, regions, municipalities, coordinators, now)
                for person in people
            ]
            for case in cases:
                case.demo_needs = sorted(
                    rnd.sample(needs, k=rnd.randint(1, 3)), key=lambda need: need.position
                )
            self.assign_references(cases)
            Case.objects.bulk_create(cases)
            Case.needs.through.objects.bulk_create(
                Case.needs.through(case_id=case.pk, needcategory_id=need.pk)
                for case in cases
                for need in case.demo_needs
            )
            self.create_history(cases, services, now)
            self.progress(start + size, count)
        if count:
            sys.stdout.write("\n")

    def progress(self, done, total):
        self.stdout.write(f"\rReturnees: {done:>7} / {total} ({done * 100 // total}%)", ending="")
        self.stdout.flush()

    def make_returnee(self, number, created):
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

    def make_case(self, person, regions, municipalities, coordinators, now):
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
            status_changed_at=person.created_at,
        )

    def assign_references(self, cases):
        groups = defaultdict(list)
        for case in cases:
            year = timezone.localtime(case.created_at).year
            groups[(reference_prefix(case.planning_region), year)].append(case)
        for (prefix, year), members in groups.items():
            members.sort(key=lambda case: case.created_at)
            numbers = reference_allocate(prefix=prefix, year=year, count=len(members))
            for case, reference in zip(members, numbers, strict=True):
                case.reference = reference

    def create_history(self, cases, services, now):
        """Walk each case along the pipeline from its creation to today; write the events,
        interactions, municipality requests and offers that walk leaves behind."""
        rnd = self.random
        events, interactions, requests, offers, items_for = [], [], [], [], []
        for case in cases:
            coordinator = case.coordinator
            events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.CREATED,
                    to_value=Case.Status.NEW,
                    created_at=case.created_at,
                )
            )
            moment, status = case.created_at, Case.Status.NEW
            steps = 0 if case.planning_region is None else rnd.randint(0, len(PATH))
            for target in PATH[:steps]:
                moment = moment + timedelta(days=rnd.randint(3, 60))
                if moment >= now:
                    break
                events.append(status_event(case, status, target, coordinator, moment))
                interactions.append(
                    Interaction(
                        case=case,
                        kind=rnd.choice(["phone", "email", "video", "meeting"]),
                        occurred_on=timezone.localtime(moment).date(),
                        summary=rnd.choice(INTERACTION_TEXTS),
                        author=coordinator,
                        created_at=moment,
                    )
                )
                if target == Case.Status.NEEDS_ASSESSED and case.municipality_id:
                    requests.append(self.make_request(case, coordinator, moment, now))
                if target == Case.Status.OFFER_SENT:
                    offer = Offer(
                        case=case,
                        language=case.returnee.preferred_language
                        if case.returnee.preferred_language != "ru"
                        else "lv",
                        status=Offer.Status.SENT,
                        sent_at=moment,
                        created_by=coordinator,
                        created_at=moment - timedelta(days=2),
                    )
                    offers.append(offer)
                    items_for.append((offer, case))
                status = target
            closing_age = (now - moment).days
            if status not in Case.FINAL_STATUSES and closing_age > 365 and rnd.random() < 0.5:
                moment = moment + timedelta(days=rnd.randint(30, 200))
                if moment < now and Case.Status.CLOSED in ALLOWED_TRANSITIONS[status]:
                    case.closed_reason = rnd.choice(Case.ClosedReason.values)
                    event = status_event(case, status, Case.Status.CLOSED, coordinator, moment)
                    event.closed_reason = case.closed_reason
                    events.append(event)
                    status = Case.Status.CLOSED
            if status == Case.Status.DECIDED_TO_RETURN and offers and offers[-1].case is case:
                offers[-1].status = Offer.Status.ACCEPTED
                offers[-1].responded_at = moment
            waiting = status in (Case.Status.NEEDS_ASSESSED, Case.Status.OFFER_PREPARATION)
            if waiting and requests and requests[-1].case is case:
                # The coordinator is still waiting for what the municipality can offer.
                requests[-1].status = MunicipalityRequest.Status.OPEN
                requests[-1].answer, requests[-1].answered_at = "", None
            case.status = status
            case.status_changed_at = moment
            if case.is_open:
                case.next_follow_up = timezone.localdate() + timedelta(days=rnd.randint(-10, 30))
        Case.objects.bulk_update(
            cases, ["status", "closed_reason", "status_changed_at", "next_follow_up"]
        )
        CaseEvent.objects.bulk_create(events)
        Interaction.objects.bulk_create(interactions)
        MunicipalityRequest.objects.bulk_create(requests)
        Offer.objects.bulk_create(offers)
        OfferItem.objects.bulk_create(self.make_offer_items(items_for, services))

    def make_request(self, case, coordinator, moment, now):
        rnd = self.random
        answered = moment + timedelta(days=rnd.randint(2, 20))
        request = MunicipalityRequest(
            case=case,
            municipality=case.municipality,
            need=case.demo_needs[0],
            question="Vai ir pieejama vieta bērnudārzā bērnam (4 gadi) no nākamā rudens?",
            created_by=coordinator,
            created_at=moment,
        )
        if answered < now and rnd.random() < 0.8:
            request.status = MunicipalityRequest.Status.ANSWERED
            request.answer = "Jā, vieta ir pieejama no 1. septembra; jāpiesakās rindā."
            request.answered_at = answered
        return request

    def make_offer_items(self, items_for, services):
        items = []
        for offer, case in items_for:
            for position, need in enumerate(case.demo_needs, start=1):
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


def status_event(case, from_status, to_status, actor, moment):
    return CaseEvent(
        case=case,
        kind=CaseEvent.Kind.STATUS_CHANGED,
        from_value=from_status,
        to_value=to_status,
        actor=actor,
        created_at=moment,
    )


def random_moment(rnd, start, end):
    start = timezone.make_aware(datetime.combine(start.date(), time(9)))
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rnd.randint(0, seconds))


def slug(text):
    """ASCII for e-mail addresses: "Ķēniņš" → "kenins"."""
    table = str.maketrans("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ", "acegiklnsuzACEGIKLNSUZ")
    return "".join(ch for ch in text.translate(table).lower() if ch.isalnum())
