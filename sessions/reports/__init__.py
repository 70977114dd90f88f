"""Participation reports: the dashboard's panels, charts, exports, anonymised statistics,
progress reports and certificates. Every figure is aggregated in the database."""
