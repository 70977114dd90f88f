"""Workflows of the sessions app: the schedule, recording a session, safety alerts."""
