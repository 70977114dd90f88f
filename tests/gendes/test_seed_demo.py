"""`manage.py seed_demo`: the demo data contract of DESIGN.md."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q
from django.test import RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gendes.demo import names
from participants.models import (
    Enrolment,
    FollowUp,
    Participant,
    PartnerContact,
    PartnerContactEntry,
    Referral,
)
from programmes.models import Group, Programme, Site, StaffRole
from sessions.models import Attendance, GroupSession, SafetyAlert

USERNAMES = ["admin", "coordinator", "facilitator", "facilitator2", "partner"]
ATTENDED = ["present", "late"]


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def seeded(db, debug):
    return seed()


def test_prints_the_demo_users_and_their_password(seeded):
    for username in USERNAMES:
        assert re.search(rf"\| {username} +\| gendes-demo \|", seeded)
    assert "TOTP secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ (base32" in seeded


def test_demo_users_log_in_with_the_demo_password_and_the_printed_secret(seeded):
    request = RequestFactory().post("/accounts/login/")
    for username in USERNAMES:
        user = authenticate(request, username=username, password="gendes-demo")
        assert user is not None, username
        assert user.first_name and user.last_name
        device = TOTPDevice.objects.get(user=user)
        assert (device.confirmed, device.bin_key) == (True, b"12345678901234567890")
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    others = get_user_model().objects.exclude(username="admin")
    assert not others.filter(Q(is_superuser=True) | Q(is_staff=True)).exists()


def test_roles_of_the_demo_users(seeded):
    roles = StaffRole.objects.filter
    sites = set(Site.objects.values_list("pk", flat=True))
    assert (
        set(roles(user__username="coordinator", role="coordinator").values_list("site", flat=True))
        == sites
    )
    assert roles(user__username="partner", role="partner_support", site__code="CDMX").exists()
    assert not roles(user__username="partner").exclude(role="partner_support").exists()
    facilitated = {}
    for username in ["facilitator", "facilitator2"]:
        groups = Group.objects.filter(facilitators__username=username)
        assert groups.exists()
        facilitated[username] = set(groups.values_list("site__code", flat=True))
        assert len(facilitated[username]) == 1
        assert set(roles(user__username=username).values_list("role", flat=True)) == {"facilitator"}
    assert facilitated["facilitator"] == {"CDMX"}
    assert facilitated["facilitator"] != facilitated["facilitator2"]


def test_sites_and_programme_presets(seeded):
    assert Site.objects.count() >= 4
    assert Site.objects.values("country").distinct().count() >= 3
    for site in Site.objects.all():
        site.full_clean()
    assert set(Programme.objects.values_list("name", flat=True)) == {
        "Grupo semanal GENDES",
        "California 52 semanas (PC 1203.097)",
        "Modelo público México",
    }
    california = Programme.objects.get(name="California 52 semanas (PC 1203.097)")
    assert (
        california.required_sessions,
        california.session_minutes,
        california.allowed_excused_absences,
        california.allowed_unexcused_absences,
        california.report_interval_days,
    ) == (52, 120, 3, 0, 90)
    public = Programme.objects.get(name="Modelo público México")
    assert (public.required_sessions, public.session_minutes) == (25, 150)
    for programme in Programme.objects.annotate(n=Count("topics")):
        assert programme.n >= 10
    assert Programme.objects.filter(topics__title="La retirada").count() == 3


def test_every_group_has_two_facilitators_with_the_role_at_its_site(seeded):
    for site in Site.objects.annotate(n=Count("groups")):
        assert 2 <= site.n <= 3
    for group in Group.objects.prefetch_related("facilitators"):
        group.full_clean()
        facilitators = list(group.facilitators.all())
        assert len(facilitators) == 2
        for user in facilitators:
            assert StaffRole.objects.filter(user=user, site=group.site_id, role="facilitator")


def test_participants_referrals_and_statuses(seeded):
    assert 70 <= Participant.objects.count() <= 90
    assert Referral.objects.values("source_type").distinct().count() >= 5
    assert Participant.objects.values("status").distinct().count() >= 4
    assert not Participant.objects.filter(referrals__isnull=True).exists()
    assert Referral.objects.filter(source_type="court", institution__contains="Juzgado").exists()
    for man in Participant.objects.select_related("site"):
        assert re.fullmatch(rf"{man.site.code}-\d{{4}}", man.code)
        assert man.first_name and man.last_name
    enrolled = Participant.objects.filter(enrolments__isnull=False).distinct()
    assert not enrolled.filter(consent_date__isnull=True).exists()
    assert not enrolled.filter(consent_version="").exists()


def assert_stays_agree_with_statuses():
    """A referred man has no enrolment, an active one his latest open, the others their
    latest closed with their status."""
    for man in Participant.objects.prefetch_related("enrolments"):
        stays = sorted(man.enrolments.all(), key=lambda e: e.start_date)
        open_ = [e for e in stays if e.end_date is None]
        if man.status == "referred":
            assert stays == []
        elif man.status == "active":
            assert len(open_) == 1 and stays[-1] is open_[0]
        else:
            assert open_ == [] and stays[-1].exit_status == man.status


def test_enrolments_agree_with_statuses(seeded):
    assert not Participant.objects.annotate(
        n=Count("enrolments", filter=Q(enrolments__end_date__isnull=True))
    ).filter(n__gt=1)
    assert not Enrolment.objects.filter(end_date__isnull=False, exit_status="").exists()
    assert not Enrolment.objects.filter(start_date__lt=F("group__start_date")).exists()
    assert not Enrolment.objects.filter(end_date__gt=timezone.localdate()).exists()
    assert_stays_agree_with_statuses()
    assert Enrolment.objects.filter(exit_status="transferred").exists()


def test_sessions_over_twelve_weeks_and_two_ahead(seeded):
    today = timezone.localdate()
    assert not GroupSession.objects.filter(date__lt=today - datetime.timedelta(weeks=12))
    assert not GroupSession.objects.filter(date__gte=today + datetime.timedelta(days=14))
    recorded = GroupSession.objects.filter(state="recorded")
    assert recorded.count() >= 11 * 10
    for session in recorded.prefetch_related("facilitators", "topics", "attendances"):
        assert session.date <= today
        assert session.recorded_at is not None and session.attendances.all()
        assert session.topics.all()
        present = set(session.facilitators.all())
        assert 1 <= len(present) <= 2 and session.recorded_by in present
    assert GroupSession.objects.filter(state="cancelled").exclude(cancellation_reason="")
    # One or two sessions that are over were left unrecorded (one in progress may be too).
    unrecorded = [
        s
        for s in GroupSession.objects.filter(state="scheduled").select_related("group__site")
        if s.starts_at + datetime.timedelta(minutes=s.duration_minutes) < timezone.now()
    ]
    assert 1 <= len(unrecorded) <= 2
    assert GroupSession.objects.filter(state="scheduled", date__gt=today).count() >= 11
    unrecorded = GroupSession.objects.exclude(state="recorded")
    assert not Attendance.objects.filter(session__in=unrecorded).exists()


def test_attendance_only_for_men_enrolled_on_the_day(seeded):
    enrolled = {
        (e.participant_id, e.group_id, e.start_date, e.end_date) for e in Enrolment.objects.all()
    }
    rows = Attendance.objects.select_related("session")
    for row in rows:
        assert any(
            pid == row.participant_id
            and gid == row.session.group_id
            and start <= row.session.date
            and (end is None or row.session.date <= end)
            for pid, gid, start, end in enrolled
        )
    statuses = set(rows.values_list("status", flat=True))
    assert statuses == {"present", "late", "excused", "unexcused"}
    # Every man enrolled on a recorded session's date has a row in it.
    for session in GroupSession.objects.filter(state="recorded")[:40]:
        roster = Enrolment.objects.filter(group=session.group).on_date(session.date)
        assert set(roster.values_list("participant", flat=True)) == set(
            session.attendances.values_list("participant", flat=True)
        )


def test_check_ins_mostly_without_violence_and_physical_rare(seeded):
    check_ins = Attendance.objects.exclude(violence="")
    total = check_ins.count()
    assert total > 300
    assert not check_ins.exclude(status__in=ATTENDED).exists()
    assert check_ins.filter(violence="no").count() / total > 0.7
    physical = check_ins.filter(violence_physical=True).count()
    assert 0 < physical / total < 0.05
    assert check_ins.filter(violence="yes", violence_emotional=True).exists()
    assert check_ins.filter(violence="yes", violence_verbal=True).exists()
    assert check_ins.filter(violence="declined").exists()
    assert check_ins.exclude(reflection="").count() / total > 0.5


def test_safety_alerts_for_physical_violence_and_flags(seeded):
    assert SafetyAlert.objects.open().exists()
    assert SafetyAlert.objects.filter(acknowledged_at__isnull=False).exists()
    for row in Attendance.objects.filter(Q(violence_physical=True) | Q(safety_flag=True)):
        alert = SafetyAlert.objects.get(session=row.session_id, participant=row.participant_id)
        assert (alert.physical, alert.flagged) == (row.violence_physical, row.safety_flag)
    for alert in SafetyAlert.objects.filter(acknowledged_at__isnull=False):
        assert alert.acknowledged_by.username == "coordinator"
        assert alert.created_at <= alert.acknowledged_at <= timezone.now()


def test_follow_ups_and_partner_contacts(seeded):
    assert FollowUp.objects.count() >= 5
    assert set(FollowUp.objects.values_list("created_by__username", flat=True)) == {"coordinator"}
    assert FollowUp.objects.filter(participant__attendances__status="unexcused").exists()
    assert PartnerContact.objects.filter(participant__site__code="CDMX").exists()
    assert PartnerContactEntry.objects.count() >= PartnerContact.objects.count()
    assert set(PartnerContactEntry.objects.values_list("created_by__username", flat=True)) == {
        "partner"
    }


def test_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert not Site.objects.exists()
    seed("--force")
    assert Participant.objects.exists()


def test_refuses_a_database_with_data_unless_reset(db, debug):
    get_user_model().objects.create_user("someone", password="x")
    with pytest.raises(CommandError, match="--reset"):
        seed()
    assert not Site.objects.exists()
    seed("--reset")
    assert not get_user_model().objects.filter(username="someone").exists()
    assert Participant.objects.count() >= 70


def test_reset_replaces_the_demo_data_reproducibly(seeded):
    def snapshot():
        return sorted(Participant.objects.values_list("code", "first_name", "last_name", "status"))

    before = snapshot()
    with pytest.raises(CommandError):
        seed()
    seed("--reset")
    assert snapshot() == before
    assert get_user_model().objects.filter(username__in=USERNAMES).count() == 5
    seed("--reset", "--seed", "7")
    assert snapshot() != before


def test_scale_multiplies_groups_men_and_sessions(db, debug):
    seed()
    base = (Participant.objects.count(), Group.objects.count(), Attendance.objects.count())
    seed("--reset", "--scale", "2")
    men, groups, rows = (
        Participant.objects.count(),
        Group.objects.count(),
        Attendance.objects.count(),
    )
    assert groups == 2 * base[1]
    assert 1.7 <= men / base[0] <= 2.3
    assert 1.6 <= rows / base[2] <= 2.4
    assert get_user_model().objects.filter(username__in=USERNAMES).count() == 5
    for group in Group.objects.annotate(n=Count("facilitators")):
        assert group.n == 2


def test_scale_must_be_positive(db, debug):
    with pytest.raises(CommandError):
        seed("--scale", "0")
    assert not Site.objects.exists()


def test_a_site_with_more_men_than_names_repeats_names_never_codes(db, debug, monkeypatch):
    monkeypatch.setattr(names, "MEN", {locale: (["José"], ["López"], 1) for locale in names.MEN})
    drawn = []
    draw = names.man_name

    def counted(rng, locale):
        drawn.append(locale)
        assert len(drawn) < 10_000, "drew names without end"
        return draw(rng, locale)

    monkeypatch.setattr(names, "man_name", counted)
    seed()
    codes = list(Participant.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) >= 70
    assert Participant.objects.filter(first_name="José").count() == len(codes)


@pytest.fixture
def two_years(db, debug):
    return seed("--years", "2")


def year_of(day):
    """0 for the last 365 days, 1 for the year before."""
    return (timezone.localdate() - day).days // 365


def test_years_spread_sessions_arrivals_completions_and_drop_outs(two_years):
    today = timezone.localdate()
    assert not GroupSession.objects.filter(date__lt=today - datetime.timedelta(days=731))
    recorded = GroupSession.objects.filter(state="recorded")
    assert {year_of(d) for d in recorded.values_list("date", flat=True)} >= {0, 1}
    rows = Attendance.objects.values_list("session__date", flat=True)
    assert {year_of(d) for d in rows} >= {0, 1}
    starts = Enrolment.objects.values_list("start_date", flat=True)
    assert {year_of(d) for d in starts} >= {0, 1}
    for exit_status in ["completed", "dropped_out"]:
        ends = Enrolment.objects.filter(exit_status=exit_status).values_list("end_date", flat=True)
        assert {year_of(d) for d in ends} >= {0, 1}, exit_status
    # A year of a dozen groups: a few hundred men, most of whom finish or leave.
    assert 250 <= Participant.objects.count() <= 700
    assert (
        Participant.objects.filter(status="active").count()
        < Participant.objects.filter(status__in=["completed", "dropped_out"]).count()
    )
    assert not recorded.filter(attendances__isnull=True).exists()


def test_years_stays_agree_with_statuses_and_attendance(two_years):
    assert_stays_agree_with_statuses()
    assert not Enrolment.objects.filter(start_date__lt=F("group__start_date")).exists()
    assert not Enrolment.objects.filter(end_date__gt=timezone.localdate()).exists()
    # Every man enrolled on a recorded session's date has a row in it, and no one else.
    for session in GroupSession.objects.filter(state="recorded").order_by("?")[:60]:
        roster = Enrolment.objects.filter(group=session.group).on_date(session.date)
        assert set(roster.values_list("participant", flat=True)) == set(
            session.attendances.values_list("participant", flat=True)
        )
    # A man who joined within the years and completed came to the sessions required.
    first = GroupSession.objects.order_by("date").first().date
    single = Participant.objects.annotate(n=Count("enrolments")).filter(n=1)
    completed = Enrolment.objects.filter(
        exit_status="completed", start_date__gte=first, participant__in=single
    ).select_related("group__programme")
    assert completed.exists()
    for stay in completed[:40]:
        came = Attendance.objects.filter(
            participant=stay.participant_id, status__in=ATTENDED
        ).count()
        assert came >= stay.group.programme.required_sessions


@pytest.mark.parametrize(
    "args",
    [
        ["--scale", "0"],
        ["--scale", "-2"],
        ["--scale", "many"],
        ["--years", "0"],
        ["--years", "two"],
        ["--years", "500"],
    ],
)
def test_scale_and_years_reject_bad_values(db, debug, args):
    with pytest.raises(CommandError, match=f"{args[0]}.*must be a whole number of at least 1"):
        seed(*args)
    assert not Site.objects.exists()
