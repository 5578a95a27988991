"""The 5 planning regions, 43 municipalities (since 1 July 2021) and the need categories.

The data lives here, not in a fixture typed into the admin, so every fresh database has it.
"""

from django.db import migrations

REGIONS = {
    "KUR": (
        "Kurzemes plānošanas reģions",
        [
            ("Liepājas valstspilsēta", "state_city"),
            ("Ventspils valstspilsēta", "state_city"),
            ("Dienvidkurzemes novads", "county"),
            ("Kuldīgas novads", "county"),
            ("Saldus novads", "county"),
            ("Talsu novads", "county"),
            ("Tukuma novads", "county"),
            ("Ventspils novads", "county"),
        ],
    ),
    "ZEM": (
        "Zemgales plānošanas reģions",
        [
            ("Jelgavas valstspilsēta", "state_city"),
            ("Aizkraukles novads", "county"),
            ("Bauskas novads", "county"),
            ("Dobeles novads", "county"),
            ("Jelgavas novads", "county"),
            ("Jēkabpils novads", "county"),
        ],
    ),
    "RIG": (
        "Rīgas plānošanas reģions",
        [
            ("Rīgas valstspilsēta", "state_city"),
            ("Jūrmalas valstspilsēta", "state_city"),
            ("Ādažu novads", "county"),
            ("Ķekavas novads", "county"),
            ("Mārupes novads", "county"),
            ("Olaines novads", "county"),
            ("Ropažu novads", "county"),
            ("Salaspils novads", "county"),
            ("Siguldas novads", "county"),
        ],
    ),
    "VID": (
        "Vidzemes plānošanas reģions",
        [
            ("Alūksnes novads", "county"),
            ("Cēsu novads", "county"),
            ("Gulbenes novads", "county"),
            ("Limbažu novads", "county"),
            ("Madonas novads", "county"),
            ("Ogres novads", "county"),
            ("Saulkrastu novads", "county"),
            ("Smiltenes novads", "county"),
            ("Valkas novads", "county"),
            ("Valmieras novads", "county"),
            ("Varakļānu novads", "county"),
        ],
    ),
    "LAT": (
        "Latgales plānošanas reģions",
        [
            ("Daugavpils valstspilsēta", "state_city"),
            ("Rēzeknes valstspilsēta", "state_city"),
            ("Augšdaugavas novads", "county"),
            ("Balvu novads", "county"),
            ("Krāslavas novads", "county"),
            ("Līvānu novads", "county"),
            ("Ludzas novads", "county"),
            ("Preiļu novads", "county"),
            ("Rēzeknes novads", "county"),
        ],
    ),
}

NEED_CATEGORIES = [
    ("family", "Ģimenes pakalpojumi un izglītība", "Family services and education"),
    ("housing", "Mājoklis", "Housing"),
    ("work", "Darbs", "Work"),
    ("business", "Uzņēmējdarbība", "Business"),
    ("social", "Sociālie un sadzīves jautājumi", "Social and everyday matters"),
    ("adult_education", "Pieaugušo izglītība", "Adult education"),
    ("other", "Cits", "Other"),
]


def load(apps, schema_editor):
    PlanningRegion = apps.get_model("municipalities", "PlanningRegion")
    Municipality = apps.get_model("municipalities", "Municipality")
    NeedCategory = apps.get_model("municipalities", "NeedCategory")
    for code, (region_name, municipalities) in REGIONS.items():
        region, _ = PlanningRegion.objects.update_or_create(code=code, defaults={"name": region_name})
        for name, kind in municipalities:
            Municipality.objects.update_or_create(
                name=name, defaults={"kind": kind, "planning_region": region}
            )
    for position, (code, name, name_en) in enumerate(NEED_CATEGORIES, start=1):
        NeedCategory.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )


def unload(apps, schema_editor):
    apps.get_model("municipalities", "Municipality").objects.all().delete()
    apps.get_model("municipalities", "PlanningRegion").objects.all().delete()
    apps.get_model("municipalities", "NeedCategory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
