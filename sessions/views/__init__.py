from .alerts import alert_acknowledge, alert_list
from .groups import extra_session_add, group_detail, group_walk_ins
from .offline import offline_sessions, service_worker
from .record import session_record, walk_in_add
from .sessions import session_cancel, session_detail, session_restore
from .week import my_week

__all__ = [
    "alert_acknowledge",
    "alert_list",
    "extra_session_add",
    "group_detail",
    "group_walk_ins",
    "my_week",
    "offline_sessions",
    "session_cancel",
    "session_detail",
    "session_record",
    "session_restore",
    "service_worker",
    "walk_in_add",
]
