"""Attendance rows and the circle check-ins on them: mostly no violence, some emotional or
verbal, rarely physical, a few men declining to say; self-reported violence falls as a man
stays in the group."""

from sessions.enums import AttendanceStatus, Violence
from sessions.models import Attendance

from . import texts

# Kind of violence and how often it comes up in a check-in that reports violence.
KINDS = [
    ("emotional", 0.7),
    ("verbal", 0.5),
    ("economic", 0.08),
    ("patrimonial", 0.04),
    ("digital", 0.08),
    ("physical", 0.07),
    ("sexual", 0.015),
]
ATTENDED = set(AttendanceStatus.attended())


def nobody_left_out(plans):
    """A recorded session where every man was absent would rather have been cancelled: in
    those rare sessions the first man on the list came after all."""
    seen = {}
    for plan in plans:
        for stay in plan.stays:
            for i, (session, status, _special) in enumerate(stay.marks):
                if status in ATTENDED:
                    seen[session] = None
                elif session not in seen:
                    seen[session] = (stay, i)
    for session, first in seen.items():
        if first:
            stay, i = first
            stay.marks[i] = (session, AttendanceStatus.PRESENT, "")


def build_attendance(demo):
    nobody_left_out(demo.plans)
    rows = []
    for plan in demo.plans:
        marks = [mark for stay in plan.stays for mark in stay.marks]
        attended = 0
        for k, (session, status, special) in enumerate(marks):
            row = Attendance(session=session, participant=plan.participant, status=status)
            if status in ATTENDED:
                check_in(demo.rng, row, plan.risk, k / len(marks), attended == 0, special)
                attended += 1
            if row.violence_physical or row.violence_sexual or row.safety_flag:
                demo.alarming.append(row)
            rows.append(row)
    Attendance.objects.bulk_create(rows, batch_size=5000)
    return rows


def check_in(rng, row, risk, progress, first, special):
    if special == "physical":
        row.violence = Violence.YES
        row.violence_physical = row.violence_emotional = True
        row.reflection = rng.choice(texts.REFLECTIONS_PHYSICAL)
        row.asked_support = row.safety_flag = True
        return
    # Some arrive late, after the circle: no check-in.
    if row.status == AttendanceStatus.LATE and rng.random() < 0.3:
        return
    declined = 0.12 if first else 0.04
    draw = rng.random()
    if draw < declined:
        row.violence = Violence.DECLINED
        if rng.random() < 0.4:
            row.reflection = rng.choice(texts.REFLECTIONS_DECLINED)
        return
    if draw < declined + risk * (1 - 0.6 * progress):
        row.violence = Violence.YES
        for kind, share in KINDS:
            setattr(row, f"violence_{kind}", rng.random() < share)
        if not any(getattr(row, f"violence_{kind}") for kind, _ in KINDS):
            row.violence_emotional = True
        alarming = row.violence_physical or row.violence_sexual
        if rng.random() < 0.85:
            pool = texts.REFLECTIONS_PHYSICAL if row.violence_physical else texts.REFLECTIONS_YES
            row.reflection = rng.choice(pool)
        row.asked_support = rng.random() < 0.55
        row.used_retreat = rng.random() < 0.2
        row.safety_flag = rng.random() < (0.75 if alarming else 0.03)
        return
    row.violence = Violence.NO
    if rng.random() < 0.7:
        row.reflection = rng.choice(texts.REFLECTIONS_NO)
    row.asked_support = rng.random() < 0.12
    row.used_retreat = rng.random() < 0.3
    row.safety_flag = rng.random() < 0.003
