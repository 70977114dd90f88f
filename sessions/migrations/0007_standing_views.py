# A man's standing counts as database views, the one definition every page, list and report
# reads (sessions.standing.with_standing). Plain SQL that PostgreSQL and SQLite both run.
#
# standing_enrolment: the enrolment that decides his standing, his open one, else the latest
# (by end date, then start date, then id).
# standing: per man, over his attendance in the sessions of that enrolment's programme:
# sessions recorded, attended (present or late), late, excused and unexcused; consecutive
# absences now (those after his last attended session); his first sessions' absences (those
# on or before the day of his 4th session there, or all while he has had fewer); the day of
# his last attended session; his first referral and his latest follow-up contact.

from django.db import migrations, models
import django.db.models.deletion

STANDING_ENROLMENT = """
CREATE VIEW group_sessions_standing_enrolment AS
SELECT participant_id, enrolment_id, programme_id FROM (
    SELECT e.participant_id, e.id AS enrolment_id, g.programme_id,
           ROW_NUMBER() OVER (
               PARTITION BY e.participant_id
               ORDER BY CASE WHEN e.end_date IS NULL THEN 0 ELSE 1 END,
                        e.end_date DESC, e.start_date DESC, e.id DESC
           ) AS n
    FROM participants_enrolment e JOIN programmes_group g ON g.id = e.group_id
) ranked
WHERE n = 1;
"""

STANDING = """
CREATE VIEW group_sessions_standing AS
SELECT p.id AS participant_id, c.enrolment_id, c.programme_id,
       COALESCE(r.recorded_count, 0) AS recorded_count,
       COALESCE(r.attended_count, 0) AS attended_count,
       COALESCE(r.late_count, 0) AS late_count,
       COALESCE(r.excused_count, 0) AS excused_count,
       COALESCE(r.unexcused_count, 0) AS unexcused_count,
       COALESCE(r.consecutive_absences, 0) AS consecutive_absences,
       COALESCE(r.first_sessions_absences, 0) AS first_sessions_absences,
       r.last_attended_on,
       (SELECT MIN(x.referred_on) FROM participants_referral x WHERE x.participant_id = p.id)
           AS first_referred_on,
       (SELECT MAX(f.contacted_on) FROM participants_followup f WHERE f.participant_id = p.id)
           AS last_follow_up_on
FROM participants_participant p
LEFT JOIN group_sessions_standing_enrolment c ON c.participant_id = p.id
LEFT JOIN (
    SELECT participant_id,
           COUNT(*) AS recorded_count,
           SUM(attended) AS attended_count,
           SUM(CASE WHEN status = 'late' THEN 1 ELSE 0 END) AS late_count,
           SUM(CASE WHEN status = 'excused' THEN 1 ELSE 0 END) AS excused_count,
           SUM(CASE WHEN status = 'unexcused' THEN 1 ELSE 0 END) AS unexcused_count,
           MAX(last_attended_on) AS last_attended_on,
           SUM(CASE WHEN attended = 0 AND (last_attended_on IS NULL OR day > last_attended_on)
                    THEN 1 ELSE 0 END) AS consecutive_absences,
           SUM(CASE WHEN attended = 0 AND (fourth_on IS NULL OR day <= fourth_on)
                    THEN 1 ELSE 0 END) AS first_sessions_absences
    FROM (
        SELECT participant_id, day, status, attended,
               MAX(CASE WHEN attended = 1 THEN day END)
                   OVER (PARTITION BY participant_id) AS last_attended_on,
               MAX(CASE WHEN nth = 4 THEN day END)
                   OVER (PARTITION BY participant_id) AS fourth_on
        FROM (
            SELECT a.participant_id, s.date AS day, a.status,
                   CASE WHEN a.status IN ('present', 'late') THEN 1 ELSE 0 END AS attended,
                   ROW_NUMBER() OVER (PARTITION BY a.participant_id ORDER BY s.date) AS nth
            FROM group_sessions_attendance a
            JOIN group_sessions_groupsession s ON s.id = a.session_id
            JOIN programmes_group g ON g.id = s.group_id
            JOIN group_sessions_standing_enrolment c
                 ON c.participant_id = a.participant_id AND c.programme_id = g.programme_id
        ) numbered
    ) marked
    GROUP BY participant_id
) r ON r.participant_id = p.id;
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
