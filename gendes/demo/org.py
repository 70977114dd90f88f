"""Sites, programmes and their curricula, users with their roles, and groups with two
facilitators each."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from programmes.enums import StaffRoleKind
from programmes.models import Group, Programme, Site, StaffRole, Topic

from . import catalogue, names

SITE_FIELDS = ["code", "name", "country", "region", "city", "time_zone"]


def build_org(demo):
    build_sites(demo)
    build_programmes(demo)
    build_users_and_groups(demo)


def build_sites(demo):
    demo.sites = Site.objects.bulk_create(
        [Site(**{f: spec[f] for f in SITE_FIELDS}) for spec in catalogue.SITES]
    )
    demo.site_spec = {site.pk: spec for site, spec in zip(demo.sites, catalogue.SITES, strict=True)}


def build_programmes(demo):
    programmes = {key: Programme(**fields) for key, fields in catalogue.PROGRAMMES.items()}
    Programme.objects.bulk_create(programmes.values())
    topics = Topic.objects.bulk_create(
        [
            Topic(programme=programmes[key], title=title, order=(i + 1) * 10)
            for key, titles in catalogue.TOPICS.items()
            for i, title in enumerate(titles)
        ]
    )
    demo.programmes = programmes
    demo.topics = {p.pk: [t for t in topics if t.programme_id == p.pk] for p in programmes.values()}


class _Users:
    """Collects users to create in one INSERT, all with the demo password (hashed once)."""

    def __init__(self, rng):
        self.rng = rng
        self.password = make_password(catalogue.PASSWORD)
        self.model = get_user_model()
        self.new = []
        self.usernames = set(catalogue.DEMO_USERS)

    def add(self, username, first_name, last_name, **extra):
        user = self.model(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.org",
            password=self.password,
            **extra,
        )
        self.new.append(user)
        return user

    def add_staff(self):
        first, last = self.rng.choice(names.STAFF_FIRST), self.rng.choice(names.STAFF_LAST)
        base = f"{names.ascii_slug(first)}.{names.ascii_slug(last)}"
        username, n = base, 1
        while username in self.usernames:
            n += 1
            username = f"{base}{n}"
        self.usernames.add(username)
        return self.add(username, first, last)

    def save(self):
        self.model.objects.bulk_create(self.new)


def day_names(weekdays):
    days = [catalogue.WEEKDAY_NAMES[int(d)] for d in weekdays.split(",")]
    return " y ".join([days[0]] + [d.lower() for d in days[1:]])


def build_users_and_groups(demo):
    rng = demo.rng
    users = _Users(rng)
    for username, (first, last, _role) in catalogue.DEMO_USERS.items():
        is_admin = username == "admin"
        demo.users[username] = users.add(
            username, first, last, is_superuser=is_admin, is_staff=is_admin
        )

    groups, pairs, roles = [], [], []
    for site in demo.sites:
        spec = demo.site_spec[site.pk]
        templates = spec["groups"]
        count = len(templates) * demo.scale
        pool = [users.add_staff() for _ in range(max(2, count))]
        named = catalogue.NAMED_FACILITATORS.get(site.code)
        if named:
            pool[0] = demo.users[named]
        roles += [(user, site, StaffRoleKind.FACILITATOR) for user in pool]
        taken = set()
        for i in range(count):
            key, weekdays, start = templates[i % len(templates)]
            if i >= len(templates):
                weekdays, start = rng.choice(catalogue.EXTRA_SLOTS)
            places = names.PLACES[site.code]
            base = f"{day_names(weekdays)} {start} · {places[i % len(places)]}"
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base} ({n})"
            taken.add(name)
            programme = demo.programmes[key]
            # Groups run long before the sessions the demo records: long enough for the men
            # who complete the programme in them.
            started = (450 if key == "california" else 270) + demo.history_days - 7 * 12
            group = Group(
                programme=programme,
                site=site,
                name=name,
                weekdays=weekdays,
                start_time=datetime.time(*map(int, start.split(":"))),
                capacity=rng.choice([15, 18, 20]),
                is_open=True,
                allows_walk_ins=key == "gendes",
                start_date=demo.days(-rng.randint(started, started + 400)),
            )
            groups.append(group)
            pairs.append((group, [pool[i % len(pool)], pool[(i + 1) % len(pool)]]))

    roles += [(demo.users["coordinator"], site, StaffRoleKind.COORDINATOR) for site in demo.sites]
    roles += [
        (demo.users["partner"], site, StaffRoleKind.PARTNER_SUPPORT)
        for site in demo.sites
        if site.code in catalogue.PARTNER_SITES
    ]
    users.save()
    StaffRole.objects.bulk_create([StaffRole(user=u, site=s, role=r) for u, s, r in roles])
    Group.objects.bulk_create(groups)
    Group.facilitators.through.objects.bulk_create(
        [
            Group.facilitators.through(group_id=group.pk, user_id=user.pk)
            for group, pair in pairs
            for user in pair
        ]
    )
    demo.groups = groups
    demo.group_facilitators = {group.pk: pair for group, pair in pairs}
