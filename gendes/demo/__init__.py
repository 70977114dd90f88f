"""Demo data for `manage.py seed_demo`: a believable organisation with sites, programmes,
groups, men, sessions, attendance and check-ins. Development and benchmarks only.

- `catalogue`: the fixed parts (sites, programme presets, curricula, the demo users);
- `names`, `texts`: names, places, institutions and short Spanish texts;
- `org`, `schedule`, `people` (plans the men's stories), `register`, `checkins`,
  `aftercare`: the builders, in that order, sharing a `context.Demo`;
- `reset`: the emptiness check and the wipe behind `--reset`;
- `seed`: runs the builders.
"""
