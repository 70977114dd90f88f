import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from gendes.accounts.devices import give_demo_device
from gendes.accounts.policy import must_use_second_factor
from gendes.accounts.signals import audit_login
from tests import factories

_force_login = Client.force_login


def _force_verified_login(client, user, backend=None):
    """Client.force_login, plus the second factor for the roles that must use one: as if the
    user had typed his code, through django-otp's own session key. Facilitators (for whom it
    is optional) stay logged in with the password only, as most will be. Like Django's, it
    stands for a login made before the test: it writes no login event to the audit trail."""
    user_logged_in.disconnect(audit_login)
    try:
        _force_login(client, user, backend)
    finally:
        user_logged_in.connect(audit_login)
    if must_use_second_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = give_demo_device(user).persistent_id
        session.save()


@pytest.fixture(autouse=True)
def _logins_pass_the_second_factor(monkeypatch):
    monkeypatch.setattr(Client, "force_login", _force_verified_login)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Fast hashing and plain static storage in tests only.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def cast(db):
    """A fixed cast: two sites, a group at each, a facilitator and a coordinator of site A,
    an outsider (facilitator at site B), a partner-support worker at A, and an admin."""
    site_a = factories.SiteFactory(name="Sede A", code="SA")
    site_b = factories.SiteFactory(
        name="Sede B", code="SB", country="PA", time_zone="America/Panama"
    )
    group_a = factories.GroupFactory(site=site_a, name="Martes A")
    group_b = factories.GroupFactory(site=site_b, name="Jueves B")
    facilitator = factories.facilitator_of(group_a, factories.UserFactory(username="fac_a"))
    outsider = factories.facilitator_of(group_b, factories.UserFactory(username="fac_b"))
    coordinator = factories.coordinator_of(site_a, factories.UserFactory(username="coord_a"))
    partner = factories.StaffRoleFactory(
        user=factories.UserFactory(username="partner_a"), site=site_a, role="partner_support"
    ).user
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    man_a = factories.ParticipantFactory(site=site_a, code="SA-0001", first_name="Juan")
    man_b = factories.ParticipantFactory(site=site_b, code="SB-0001", first_name="Pedro")
    factories.EnrolmentFactory(participant=man_a, group=group_a)
    factories.EnrolmentFactory(participant=man_b, group=group_b)
    session_a = factories.GroupSessionFactory(group=group_a)
    session_b = factories.GroupSessionFactory(group=group_b)
    return type(
        "Cast",
        (),
        dict(
            site_a=site_a,
            site_b=site_b,
            group_a=group_a,
            group_b=group_b,
            facilitator=facilitator,
            outsider=outsider,
            coordinator=coordinator,
            partner=partner,
            admin=admin,
            man_a=man_a,
            man_b=man_b,
            session_a=session_a,
            session_b=session_b,
        ),
    )


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def login_as():
    return login


@pytest.fixture
def english(settings):
    """Run a test in English (the default is Spanish) to assert English wording."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def root_user(db):
    # Not "root": that is the cast's admin, and a test may ask for both.
    return factories.UserFactory(username="superuser", is_superuser=True, is_staff=True)


@pytest.fixture
def root(root_user):
    """A logged-in client of a superuser (the admin site's tests)."""
    return login(root_user)
