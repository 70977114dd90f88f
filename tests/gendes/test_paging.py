"""Every paginated list answers any `page` (absurdly large, negative, zero, not a number, a
string of thousands of digits) with a page of the list, never a 500: a number past the end
gives the last page, anything that is not a page number the first (Django's get_page)."""

import datetime

import pytest
from django.urls import reverse

from gendes.audit.models import AuditEvent
from participants.models import PartnerContact
from programmes.models import Programme
from sessions.models import SafetyAlert
from tests import factories

pytestmark = pytest.mark.django_db

ROWS = 30  # two pages of 25
LAST = 2
# page= sent: the page shown
ANSWERS = {
    "400000000000000000": LAST,
    "99999999999999999999999999999999999999": LAST,
    "-1": LAST,
    "-400000000000000000": LAST,
    "0": LAST,
    "2": 2,
    "1": 1,
    "abc": 1,
    "1e3": 1,
    "2.5": 1,
    "9" * 5000: 1,  # past Python's limit on the digits int() reads
    "": 1,
    " ": 1,
    "%00": 1,
    "\x00": 1,
}


def men(cast, n, **fields):
    made = []
    for i in range(n):
        man = factories.ParticipantFactory(site=cast.site_a, code=f"SA-{i + 100:04d}", **fields)
        made.append(man)
    return made


def at_risk(cast):
    # Referrals not seen within 14 days put a man at risk.
    for man in men(cast, ROWS, status="referred"):
        factories.ReferralFactory(participant=man, referred_on=datetime.date(2025, 1, 2))


def registered(cast):
    men(cast, ROWS - 1)  # and man_a


def with_partner_contacts(cast):
    for man in men(cast, ROWS):
        PartnerContact.objects.create(participant=man, safe_channel="Teléfono")


def due_reports(cast):
    Programme.objects.filter(pk=cast.group_a.programme_id).update(report_interval_days=90)
    for man in men(cast, ROWS):
        factories.ReferralFactory(participant=man, reports_requested=True)
        factories.EnrolmentFactory(participant=man, group=cast.group_a)


def alerts(cast):
    for day in range(ROWS):
        session = factories.GroupSessionFactory(
            group=cast.group_a, date=datetime.date(2026, 1, 1) + datetime.timedelta(days=day)
        )
        SafetyAlert.objects.create(
            session=session, participant=cast.man_a, physical=True, raised_by=cast.facilitator
        )


def audit_events(cast):
    AuditEvent.objects.bulk_create(
        AuditEvent(username="fac_a", action="view", participant_id=cast.man_a.pk)
        for _ in range(ROWS)
    )


# URL name: (who opens it, what fills it with ROWS rows)
LISTS = {
    "participants:list": ("coordinator", registered),
    "participants:at_risk": ("coordinator", at_risk),
    "partner:list": ("partner", with_partner_contacts),
    "progress:due": ("coordinator", due_reports),
    "sessions:alert_list": ("coordinator", alerts),
    "participants:audit_trail": ("coordinator", audit_events),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_page_parameter_answers_a_page_of_the_list(cast, login_as, name):
    who, fill = LISTS[name]
    fill(cast)
    client = login_as(getattr(cast, who))
    shown = {}
    for sent in ANSWERS:
        response = client.get(reverse(name), {"page": sent})
        assert response.status_code == 200, (name, sent[:20])
        page = response.context["page"]
        assert (page.paginator.count, page.paginator.num_pages) == (ROWS, LAST), name
        shown[sent] = page.number
    assert shown == ANSWERS


def test_every_paginated_list_of_the_app_is_tested():
    """A new Paginator in a view must be added to LISTS."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    users = sorted(
        str(path.relative_to(root))
        for app in ("gendes", "programmes", "participants", "sessions")
        for path in (root / app).rglob("*.py")
        if "Paginator(" in path.read_text(encoding="utf-8")
    )
    assert users == [
        "participants/partner/views.py",
        "participants/views/audit_trail.py",
        "participants/views/lists.py",
        "sessions/reports/progress/views.py",
        "sessions/views/alerts.py",
    ]
    assert len(LISTS) == 6  # lists.py has two: the men and those at risk
