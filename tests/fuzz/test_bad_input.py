"""Arbitrary input to the main forms (hypothesis): text of any kind (markup, NUL bytes, huge
strings, any script), numbers, dates, choices and ids, valid or not. Every answer is one a
person can act on (200, 302, 400, 403, 404, 409, 429), never a 500; a refused form stores
nothing; and no markup comes back unescaped."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import Enrolment, FollowUp, Participant, PartnerContact
from sessions.models import Attendance, GroupSession
from tests import factories

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert('x')</script>"
ANSWERS = {200, 302, 400, 403, 404, 409, 429}
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Anything a browser, a script or a mistake could send in one field.
value = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.sampled_from(
        [
            "",
            " ",
            MARKUP,
            "\x00",
            "9" * 5000,
            "x" * 100_000,
            "2026-02-30",
            "-1",
            "0",
            "1e9",
            "present",
            "yes",
            "physical",
            "court",
            "phone",
            "on",
            "true",
            "None",
            "[]",
        ]
    ),
)


def form(fields):
    """A dict of some of `fields`, each with an arbitrary value (or a list of them)."""
    return st.dictionaries(
        st.sampled_from(fields), st.one_of(value, st.lists(value, max_size=3)), max_size=12
    )


def counts():
    return [
        m.objects.count()
        for m in (Participant, Enrolment, FollowUp, PartnerContact, Attendance, GroupSession)
    ]


def check(response, before):
    assert response.status_code in ANSWERS, response.status_code
    content = b"" if response.streaming else response.content
    assert MARKUP.encode() not in content
    if response.status_code != 302:
        assert counts() == before, "a refused form changed the database"


@pytest.fixture
def clients(cast):
    cast.group_a.allows_walk_ins = True
    cast.group_a.save()
    result = {}
    for who in ("facilitator", "coordinator", "partner"):
        client = Client()
        client.force_login(getattr(cast, who))
        result[who] = client
    return result


def post(client, url, data):
    before = counts()
    check(client.post(url, data), before)


RECORD_FIELDS = ["version", "notes", "facilitators", "topics"] + [
    f"m{{pk}}-{name}"
    for name in (
        "status",
        "violence",
        "kinds",
        "reflection",
        "asked_for_support",
        "used_retreat",
        "safety_flag",
        "declined",
    )
]


@EXAMPLES
@given(data=form(RECORD_FIELDS + ["m999999-status", "choice"]))
def test_record_session(cast, clients, data):
    data = {key.replace("{pk}", str(cast.man_a.pk)): v for key, v in data.items()}
    post(clients["facilitator"], reverse("sessions:record", args=[cast.session_a.pk]), data)


@EXAMPLES
@given(data=form(["first_name", "last_name", "consented"]))
def test_walk_in(cast, clients, data):
    post(clients["facilitator"], reverse("sessions:walk_in_add", args=[cast.session_a.pk]), data)


REFERRAL_FIELDS = [
    "site",
    "first_name",
    "last_name",
    "birth_date",
    "phone",
    "email",
    "preferred_contact_times",
    "source_type",
    "institution",
    "reference_number",
    "referred_on",
    "reports_requested",
    "notes",
    "confirm_duplicate",
]


@EXAMPLES
@given(data=form(REFERRAL_FIELDS))
def test_referral(cast, clients, data):
    post(clients["coordinator"], reverse("participants:referral_new"), data)


@EXAMPLES
@given(data=form(["intake_date", "consent_given", "consent_date", "consent_version", "notes"]))
def test_intake(cast, clients, data):
    post(clients["coordinator"], reverse("participants:intake", args=[cast.man_a.pk]), data)


@EXAMPLES
@given(data=form(["group", "start_date"]), man=st.sampled_from(["a", "b", "new"]))
def test_enrolment(cast, clients, data, man):
    target = {"a": cast.man_a, "b": cast.man_b}.get(man) or factories.ParticipantFactory(
        site=cast.site_a
    )
    post(clients["coordinator"], reverse("participants:enrol", args=[target.pk]), data)


@EXAMPLES
@given(data=form(["contacted_on", "channel", "outcome", "next_step", "notes", "next"]))
def test_follow_up(cast, clients, data):
    url = reverse("participants:follow_up_new", args=[cast.man_a.pk])
    post(clients["coordinator"], url, data)


@EXAMPLES
@given(data=form(["code", "safe_channel", "safe_times", "consent_to_contact", "notes"]))
def test_partner_contact(cast, clients, data):
    post(clients["partner"], reverse("partner:new"), data)


REPORT_FIELDS = ["date_from", "date_to", "site", "programme", "group", "page", "state", "period"]


@EXAMPLES
@given(
    data=form(REPORT_FIELDS),
    name=st.sampled_from(
        [
            "reports:dashboard",
            "exports:anonymised",
            "exports:anonymised_csv",
            "table",
            "participants:list",
            "participants:at_risk",
            "sessions:alert_list",
            "participants:audit_trail",
        ]
    ),
)
def test_report_filters(cast, clients, data, name):
    url = (
        reverse("exports:table", args=["men-reached", "csv"]) if name == "table" else reverse(name)
    )
    before = counts()
    check(clients["coordinator"].get(url, data), before)


@EXAMPLES
@given(
    data=form(
        [
            "login_view-current_step",
            "auth-username",
            "auth-password",
            "token-otp_token",
            "backup-otp_token",
            "next",
        ]
    )
)
def test_login(cast, data):
    before = counts()
    check(Client().post(reverse("login"), data), before)
