"""The one place every app writes to the audit log."""

from .context import client_ip, current_request
from .models import AuditEvent


def _event(*, user, action, object_type, object_id, participant_id, detail, request, username=""):
    request = request or current_request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return AuditEvent(
        user=user if authenticated else None,
        # Who tried, for a failed login: the name typed, never the password.
        username=user.get_username() if authenticated else username[:150],
        action=action,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        participant_id=participant_id,
        detail=detail[:500],
        ip_address=client_ip(request) if request is not None else None,
    )


def record(
    *,
    user=None,
    action,
    obj=None,
    object_type="",
    participant_id=None,
    detail="",
    request=None,
    username="",
):
    """Write one audit event. `obj` may be any model instance; its type and id are kept. The
    user defaults to the request's, and the address always comes from the request."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
    event = _event(
        user=user,
        action=action,
        object_type=object_type,
        object_id=obj.pk if obj is not None else "",
        participant_id=participant_id,
        detail=detail,
        request=request,
        username=username,
    )
    event.save()
    return event


def record_many(*, action, object_type, participant_ids, user=None, detail="", request=None):
    """One event per man shown on a list page, written in one INSERT whatever the length."""
    events = [
        _event(
            user=user,
            action=action,
            object_type=object_type,
            object_id=pk,
            participant_id=pk,
            detail=detail,
            request=request,
        )
        for pk in participant_ids
    ]
    return AuditEvent.objects.bulk_create(events)


def record_rows(*, action, rows, user=None, detail="", request=None):
    """One event per (object, man's id) in `rows`, written in one INSERT whatever the length."""
    events = [
        _event(
            user=user,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=obj.pk,
            participant_id=participant_id,
            detail=detail,
            request=request,
        )
        for obj, participant_id in rows
    ]
    return AuditEvent.objects.bulk_create(events)
