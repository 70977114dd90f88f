"""The men's records from their plans: Participant (code, name, contact, consent), his
Referral and his Enrolments."""

import datetime
from collections import defaultdict

from participants.models import Enrolment, Participant, Referral

from . import catalogue, names, texts

CONTACT_TIMES = [
    "Tardes después de las 18 h",
    "Mañanas antes de las 9 h",
    "Solo mensajes de WhatsApp",
    "Fines de semana",
    "",
    "",
]


def register_men(demo, plans):
    rng = demo.rng
    by_site = defaultdict(list)
    for plan in plans:
        by_site[plan.site.pk].append(plan)
    ordered, referrals, enrolments = [], [], []
    for site in demo.sites:
        locale = demo.site_spec[site.pk]["locale"]
        taken = set()
        # Codes follow the order in which the men were referred.
        mine = sorted(by_site[site.pk], key=lambda plan: plan.referred_on)
        for number, plan in enumerate(mine, start=1):
            first, last = names.fresh_man_name(rng, locale, taken)
            taken.add((first, last))
            plan.participant = man(demo, plan, f"{site.code}-{number:04d}", first, last)
            ordered.append(plan)
    Participant.objects.bulk_create([plan.participant for plan in ordered], batch_size=2000)
    for plan in ordered:
        referrals.append(referral(demo, plan))
        enrolments += [
            Enrolment(
                participant=plan.participant,
                group=stay.group,
                start_date=stay.start,
                end_date=stay.end,
                exit_status=stay.exit_status,
                exit_reason=stay.exit_reason,
            )
            for stay in plan.stays
        ]
    Referral.objects.bulk_create(referrals, batch_size=2000)
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    demo.plans = ordered
    demo.participants = [plan.participant for plan in ordered]


def man(demo, plan, code, first, last):
    rng = demo.rng
    age_days = int(rng.randint(20, 61) * 365.25) + rng.randint(0, 364)
    enrolled = bool(plan.stays)
    return Participant(
        code=code,
        site=plan.site,
        first_name=first,
        last_name=last,
        birth_date=demo.today - datetime.timedelta(days=age_days),
        phone=names.phone(rng, plan.site.code) if rng.random() < 0.92 else "",
        email=names.email(rng, first, last) if rng.random() < 0.4 else "",
        preferred_contact_times=rng.choice(CONTACT_TIMES),
        status=plan.status,
        intake_date=plan.intake_date,
        intake_notes=rng.choice(texts.INTAKE_NOTES) if plan.intake_date else "",
        # Men sign the consent at intake, before their first session.
        consent_date=plan.intake_date if enrolled else None,
        consent_version=catalogue.CONSENT_VERSION if enrolled else "",
    )


def referral(demo, plan):
    rng = demo.rng
    site = plan.site
    source = rng.choices(names.SOURCES, weights=names.SOURCE_WEIGHTS[site.country])[0]
    institution, reference, notes = "", "", ""
    options = names.INSTITUTIONS[site.code].get(source)
    if options:
        institution, pattern = rng.choice(options)
        reference = pattern.format(n=rng.randint(100, 99999), y=plan.referred_on.year)
    if source == "partner":
        notes = texts.PARTNER_REFERRAL_NOTES
    reports = {"court": 0.9, "government": 0.8, "academic": 0.3}.get(source, 0)
    return Referral(
        participant=plan.participant,
        source_type=source,
        institution=institution,
        reference_number=reference,
        referred_on=plan.referred_on,
        reports_requested=rng.random() < reports,
        notes=notes,
    )
