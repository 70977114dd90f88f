"""What follows the sessions: safety alerts (older ones acknowledged, recent ones open), the
coordinator's follow-up calls to absent men, and the partner-support worker's contacts."""

import datetime

from participants.enums import ContactChannel, FollowUpOutcome
from participants.models import FollowUp, PartnerContact, PartnerContactEntry
from sessions.enums import AttendanceStatus
from sessions.models import SafetyAlert

from . import catalogue, texts

CHANNELS = [
    (ContactChannel.PHONE, 40),
    (ContactChannel.WHATSAPP, 35),
    (ContactChannel.SMS, 10),
    (ContactChannel.EMAIL, 5),
    (ContactChannel.IN_PERSON, 6),
    (ContactChannel.LETTER, 4),
]
ATTENDED = set(AttendanceStatus.attended())


def build_alerts(demo):
    rng = demo.rng
    alerts = []
    for row in demo.alarming:
        alerts.append(
            SafetyAlert(
                session=row.session,
                participant=row.participant,
                physical=row.violence_physical,
                sexual=row.violence_sexual,
                flagged=row.safety_flag,
                raised_by=row.session.recorded_by,
            )
        )
    if not alerts:
        return alerts
    SafetyAlert.objects.bulk_create(alerts, batch_size=2000)
    # created_at is auto_now_add: date it back to when the session was recorded. The
    # coordinator has acknowledged most older alerts; the newest stays open.
    newest = max(alert.session.recorded_at for alert in alerts)
    for alert in alerts:
        alert.created_at = alert.session.recorded_at
        recent = demo.now - alert.created_at < datetime.timedelta(days=10)
        if alert.created_at == newest or recent or rng.random() < 0.15:
            continue
        delay = datetime.timedelta(minutes=rng.randint(20, 60 * 40))
        alert.acknowledged_by = demo.users["coordinator"]
        alert.acknowledged_at = min(alert.created_at + delay, demo.now)
        alert.acknowledgement_note = rng.choice(texts.ALERT_ACKNOWLEDGEMENTS)
    SafetyAlert.objects.bulk_update(
        alerts,
        ["created_at", "acknowledged_by", "acknowledged_at", "acknowledgement_note"],
        batch_size=1000,
    )
    return alerts


def unexcused_runs(marks):
    """(first absence date, length, came back afterwards) of each run of unexcused absences."""
    runs, start, length = [], None, 0
    for session, status, _special in marks:
        if status == AttendanceStatus.UNEXCUSED:
            start, length = start or session.date, length + 1
            continue
        if start and status in ATTENDED:
            runs.append((start, length, True))
        if status in ATTENDED:
            start, length = None, 0
    if start:
        runs.append((start, length, False))
    return runs


def build_follow_ups(demo):
    rng = demo.rng
    channels, weights = zip(*CHANNELS, strict=True)
    follow_ups = []
    for plan in demo.plans:
        marks = [mark for stay in plan.stays for mark in stay.marks]
        for start, length, came_back in unexcused_runs(marks):
            if length < 2 and came_back or rng.random() < 0.3:
                continue
            day = start + datetime.timedelta(days=rng.randint(1, 4))
            outcomes = [FollowUpOutcome.REACHED_RETURNING] if came_back else []
            if not came_back:
                outcomes = [FollowUpOutcome.NO_ANSWER]
                outcomes.append(
                    rng.choice(
                        [
                            FollowUpOutcome.REACHED_LEAVING,
                            FollowUpOutcome.REACHED_UNDECIDED,
                            FollowUpOutcome.NO_ANSWER,
                            FollowUpOutcome.WRONG_CONTACT,
                        ]
                    )
                )
            for outcome in outcomes:
                if day > demo.today:
                    break
                notes, next_step = texts.FOLLOW_UP[outcome]
                follow_ups.append(
                    FollowUp(
                        participant=plan.participant,
                        contacted_on=day,
                        channel=rng.choices(channels, weights=weights)[0],
                        outcome=outcome,
                        next_step=next_step,
                        notes=notes,
                        created_by=demo.users["coordinator"],
                    )
                )
                day += datetime.timedelta(days=rng.randint(2, 6))
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    return follow_ups


def build_partner_contacts(demo):
    rng = demo.rng
    contacts, entries = [], []
    for plan in demo.plans:
        if plan.site.code not in catalogue.PARTNER_SITES or not plan.stays:
            continue
        if rng.random() > 0.35:
            continue
        contact = PartnerContact(
            participant=plan.participant,
            safe_channel=rng.choice(texts.SAFE_CHANNELS),
            safe_times=rng.choice(texts.SAFE_TIMES),
            consent_to_contact=rng.random() < 0.85,
        )
        contacts.append(contact)
        first = max(plan.stays[0].start, demo.days(-120))
        span = (demo.today - first).days
        days = sorted(rng.randint(0, span) for _ in range(rng.randint(1, 3)))
        entries += [
            PartnerContactEntry(
                partner_contact=contact,
                contacted_on=first + datetime.timedelta(days=d),
                notes=texts.PARTNER_ENTRIES[0] if i == 0 else rng.choice(texts.PARTNER_ENTRIES[1:]),
                created_by=demo.users["partner"],
            )
            for i, d in enumerate(days)
        ]
    PartnerContact.objects.bulk_create(contacts, batch_size=2000)
    PartnerContactEntry.objects.bulk_create(entries, batch_size=2000)
    return contacts, entries
