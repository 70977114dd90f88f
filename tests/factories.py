"""Small factories for the tests (factory_boy)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from participants.models import Enrolment, Participant, Referral
from programmes.enums import StaffRoleKind
from programmes.models import Group, Programme, Site, StaffRole
from sessions.models import Attendance, GroupSession

PASSWORD = "test-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="es_MX")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Sede {n}")
    code = factory.Sequence(lambda n: "S" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    country = "MX"
    region = "Ciudad de México"
    city = "Ciudad de México"
    time_zone = "America/Mexico_City"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["name"]

    name = "Grupo semanal GENDES"
    required_sessions = 24
    session_minutes = 150


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Grupo {n}")
    weekdays = "1"
    start_time = datetime.time(18, 0)
    start_date = datetime.date(2026, 1, 5)

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.facilitators.set(extracted)


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    site = factory.SubFactory(SiteFactory)
    role = StaffRoleKind.COORDINATOR


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"T-{n:04d}")
    first_name = factory.Faker("first_name_male", locale="es_MX")
    last_name = factory.Faker("last_name", locale="es_MX")
    status = "active"
    # Intake and consent come before any enrolment (participants.services.check_can_enrol).
    intake_date = datetime.date(2026, 1, 5)
    consent_date = datetime.date(2026, 1, 5)
    consent_version = "2026-1"


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    participant = factory.SubFactory(ParticipantFactory)
    source_type = "court"
    referred_on = datetime.date(2026, 1, 2)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    participant = factory.SubFactory(ParticipantFactory)
    group = factory.SubFactory(GroupFactory)
    start_date = datetime.date(2026, 1, 5)


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession

    group = factory.SubFactory(GroupFactory)
    date = datetime.date(2026, 3, 3)
    start_time = datetime.time(18, 0)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(GroupSessionFactory)
    participant = factory.SubFactory(ParticipantFactory)
    status = "present"
    violence = "no"


def weekly_attendance(man, group, statuses, start):
    """One recorded session of `group` a week from `start`, with a row for `man` in each:
    his status there, and "no violence" at the check-in of a man who came."""
    for n, status in enumerate(statuses):
        session = GroupSessionFactory(
            group=group,
            date=start + datetime.timedelta(weeks=n),
            state="recorded",
            recorded_at=timezone.now(),
        )
        attended = status in ("present", "late")
        AttendanceFactory(
            session=session, participant=man, status=status, violence="no" if attended else ""
        )


def facilitator_of(group, user=None):
    """A user who facilitates `group` with the facilitator role at its site."""
    user = user or UserFactory()
    StaffRole.objects.get_or_create(user=user, site=group.site, role=StaffRoleKind.FACILITATOR)
    group.facilitators.add(user)
    return user


def coordinator_of(site, user=None):
    user = user or UserFactory()
    StaffRole.objects.get_or_create(user=user, site=site, role=StaffRoleKind.COORDINATOR)
    return user
