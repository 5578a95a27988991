import pytest

from municipalities.models import Municipality, NeedCategory, PlanningRegion

pytestmark = pytest.mark.django_db

EXPECTED_COUNTS = {"KUR": 8, "ZEM": 6, "RIG": 9, "VID": 11, "LAT": 9}


def test_fresh_database_has_five_planning_regions_and_43_municipalities():
    assert PlanningRegion.objects.count() == 5
    assert Municipality.objects.count() == 43
    counts = {region.code: region.municipalities.count() for region in PlanningRegion.objects.all()}
    assert counts == EXPECTED_COUNTS


@pytest.mark.parametrize(
    ("name", "region_code", "kind"),
    [
        ("Liepājas valstspilsēta", "KUR", "state_city"),
        ("Dienvidkurzemes novads", "KUR", "county"),
        ("Jēkabpils novads", "ZEM", "county"),
        ("Ķekavas novads", "RIG", "county"),
        ("Ādažu novads", "RIG", "county"),
        ("Varakļānu novads", "VID", "county"),
        ("Rēzeknes novads", "LAT", "county"),
        ("Rēzeknes valstspilsēta", "LAT", "state_city"),
        ("Augšdaugavas novads", "LAT", "county"),
    ],
)
def test_municipality_names_keep_latvian_diacritics(name, region_code, kind):
    municipality = Municipality.objects.get(name=name)
    assert municipality.planning_region.code == region_code
    assert municipality.kind == kind


def test_each_region_has_its_state_cities():
    state_cities = set(
        Municipality.objects.filter(kind="state_city").values_list("name", flat=True)
    )
    assert state_cities == {
        "Liepājas valstspilsēta",
        "Ventspils valstspilsēta",
        "Jelgavas valstspilsēta",
        "Rīgas valstspilsēta",
        "Jūrmalas valstspilsēta",
        "Daugavpils valstspilsēta",
        "Rēzeknes valstspilsēta",
    }


def test_need_categories_cover_the_coordinators_work():
    assert list(NeedCategory.objects.values_list("code", flat=True)) == [
        "family",
        "housing",
        "work",
        "business",
        "social",
        "adult_education",
        "other",
    ]
    assert NeedCategory.objects.get(code="housing").name == "Mājoklis"
