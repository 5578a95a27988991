import pytest

from tests import factories


@pytest.fixture
def national_admin(db):
    return factories.NationalAdminFactory(username="admin", is_superuser=False)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_superuser=True)


@pytest.fixture
def kurzeme_coordinator(db):
    return factories.CoordinatorFactory(username="kurzeme")


@pytest.fixture
def zemgale_coordinator(db):
    return factories.CoordinatorFactory(username="zemgale", planning_region=factories.region("ZEM"))


@pytest.fixture
def liepaja_specialist(db):
    return factories.SpecialistFactory(username="liepaja")


@pytest.fixture
def kurzeme_analyst(db):
    return factories.AnalystFactory(username="analyst")
