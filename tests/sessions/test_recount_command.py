"""`recount_figures` puts back derived figures that were changed or lost outside the app."""

import datetime
import io

import pytest
from django.core.management import call_command

from sessions.models import Attendance, KeptStanding, SessionTally, YearlyParticipation
from sessions.tallies import recount
from tests import factories

pytestmark = pytest.mark.django_db


def test_recount_figures_rebuilds_tallies_and_kept_figures(cast):
    for week, status in enumerate(("present", "unexcused"), start=1):
        factories.AttendanceFactory(
            session=factories.GroupSessionFactory(
                group=cast.group_a, date=datetime.date(2026, 10, 6) + datetime.timedelta(weeks=week)
            ),
            participant=cast.man_a,
            status=status,
            violence="no" if status == "present" else "",
        )
    call_command("recount_figures", stdout=io.StringIO())
    kept = KeptStanding.objects.get(participant=cast.man_a)
    assert (kept.attended_count, kept.unexcused_count, kept.check_ins) == (1, 1, 1)
    tallies = {t.session_id: (t.expected, t.attended) for t in SessionTally.objects.all()}
    # Changed behind the app's back (SQL, an import): no signal, no recount.
    Attendance.objects.filter(status="unexcused").update(status="present", violence="no")
    SessionTally.objects.all().delete()
    YearlyParticipation.objects.all().delete()
    out = io.StringIO()
    call_command("recount_figures", stdout=out)
    kept = KeptStanding.objects.get(participant=cast.man_a)
    assert (kept.attended_count, kept.unexcused_count, kept.check_ins) == (2, 0, 2)
    assert YearlyParticipation.objects.get(participant=cast.man_a).attended == 2
    # Every session is tallied again; the one he missed now counts him present.
    assert sorted(tallies.values()) == [(0, 0), (0, 0), (1, 0), (1, 1)]
    assert {t.session_id: (t.expected, t.attended) for t in SessionTally.objects.all()} == {
        session: (1, 1) if counts == (1, 0) else counts for session, counts in tallies.items()
    }
    sessions = len(cast.group_a.sessions.all()) + len(cast.group_b.sessions.all())
    assert out.getvalue() == f"{sessions} sessions tallied, 2 men's figures recounted.\n"
    assert recount([]) == 0
