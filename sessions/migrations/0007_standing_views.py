# A man's standing counts as database views, the one definition every page, list and report
# reads (sessions.standing.with_standing). Plain SQL that PostgreSQL and SQLite both run.
#
# standing_enrolment: the enrolment that decides his standing, his open one, else the latest
# (by end date, then start date, then id): the one no other of his ranks above. (Written as
# NOT EXISTS rather than ROW_NUMBER: PostgreSQL estimates it well, and plans the joins on it
# accordingly.)
# standing: per man, over his attendance in the sessions of that enrolment's programme:
# sessions recorded, attended (present or late), late, excused and unexcused; consecutive
# absences now (those after his last attended session); his first sessions' absences (those
# on or before the day of his 4th session there, or all while he has had fewer); the day of
# his last attended session; his first referral and his latest follow-up contact.
# It is one GROUP BY over a UNION ALL of his rows (himself, his attendance, his referrals,
# his follow-ups), so that a filter on its participant_id (one man, a page of men) reaches
# each table's own index instead of counting everyone first.

from django.db import migrations, models
import django.db.models.deletion

STANDING_ENROLMENT = """
CREATE VIEW group_sessions_standing_enrolment AS
SELECT e.participant_id, e.id AS enrolment_id, g.programme_id
FROM participants_enrolment e
JOIN programmes_group g ON g.id = e.group_id
WHERE NOT EXISTS (
    SELECT 1 FROM participants_enrolment o
    WHERE o.participant_id = e.participant_id
      AND (CASE WHEN o.end_date IS NULL THEN 1 ELSE 0 END, COALESCE(o.end_date, o.start_date),
           o.start_date, o.id)
        > (CASE WHEN e.end_date IS NULL THEN 1 ELSE 0 END, COALESCE(e.end_date, e.start_date),
           e.start_date, e.id)
);
"""

STANDING = """
CREATE VIEW group_sessions_standing AS
SELECT participant_id,
       MAX(enrolment_id) AS enrolment_id,
       MAX(programme_id) AS programme_id,
       COUNT(day) AS recorded_count,
       COALESCE(SUM(attended), 0) AS attended_count,
       COUNT(CASE WHEN status = 'late' THEN 1 END) AS late_count,
       COUNT(CASE WHEN status = 'excused' THEN 1 END) AS excused_count,
       COUNT(CASE WHEN status = 'unexcused' THEN 1 END) AS unexcused_count,
       COUNT(CASE WHEN attended = 0 AND (last_attended IS NULL OR day > last_attended)
                  THEN 1 END) AS consecutive_absences,
       COUNT(CASE WHEN attended = 0 AND (fourth_on IS NULL OR day <= fourth_on)
                  THEN 1 END) AS first_sessions_absences,
       MAX(last_attended) AS last_attended_on,
       MIN(referred_on) AS first_referred_on,
       MAX(contacted_on) AS last_follow_up_on
FROM (
    SELECT his_rows.*,
           MAX(CASE WHEN attended = 1 THEN day END)
               OVER (PARTITION BY participant_id) AS last_attended,
           MAX(CASE WHEN nth = 4 THEN day END) OVER (PARTITION BY participant_id) AS fourth_on
    FROM (
        SELECT p.id AS participant_id, c.enrolment_id, c.programme_id,
               CAST(NULL AS date) AS day, CAST(NULL AS varchar(10)) AS status,
               CAST(NULL AS integer) AS attended, CAST(NULL AS integer) AS nth,
               CAST(NULL AS date) AS referred_on, CAST(NULL AS date) AS contacted_on
        FROM participants_participant p
        LEFT JOIN group_sessions_standing_enrolment c ON c.participant_id = p.id
        UNION ALL
        SELECT a.participant_id, NULL, NULL, s.date, a.status,
               CASE WHEN a.status IN ('present', 'late') THEN 1 ELSE 0 END,
               ROW_NUMBER() OVER (PARTITION BY a.participant_id ORDER BY s.date), NULL, NULL
        FROM group_sessions_attendance a
        JOIN group_sessions_groupsession s ON s.id = a.session_id
        JOIN programmes_group g ON g.id = s.group_id
        JOIN group_sessions_standing_enrolment c
             ON c.participant_id = a.participant_id AND c.programme_id = g.programme_id
        UNION ALL
        SELECT participant_id, NULL, NULL, NULL, NULL, NULL, NULL, referred_on, NULL
        FROM participants_referral
        UNION ALL
        SELECT participant_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, contacted_on
        FROM participants_followup
    ) his_rows
) marked
GROUP BY participant_id;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("group_sessions", "0006_retire_derived_figures"),
        ("participants", "0003_retire_standing_version"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            STANDING_ENROLMENT, "DROP VIEW IF EXISTS group_sessions_standing_enrolment"
        ),
        migrations.RunSQL(STANDING, "DROP VIEW IF EXISTS group_sessions_standing"),
        migrations.CreateModel(
            name="StandingCounts",
            fields=[
                (
                    "participant",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="standing_counts",
                        serialize=False,
                        to="participants.participant",
                    ),
                ),
                (
                    "enrolment",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="participants.enrolment",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="programmes.programme",
                    ),
                ),
                ("recorded_count", models.IntegerField()),
                ("attended_count", models.IntegerField()),
                ("late_count", models.IntegerField()),
                ("excused_count", models.IntegerField()),
                ("unexcused_count", models.IntegerField()),
                ("consecutive_absences", models.IntegerField()),
                ("first_sessions_absences", models.IntegerField()),
                ("last_attended_on", models.DateField(null=True)),
                ("first_referred_on", models.DateField(null=True)),
                ("last_follow_up_on", models.DateField(null=True)),
            ],
            options={"db_table": "group_sessions_standing", "managed": False},
        ),
    ]
