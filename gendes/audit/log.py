"""The one function every app calls to write to the audit log."""

from .models import AuditEvent


def record(*, user, action, obj=None, object_type="", participant_id=None, detail=""):
    """Write one audit event. `obj` may be any model instance; its type and id are kept."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = str(obj.pk)
    else:
        object_id = ""
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=getattr(user, "username", "") or "",
        action=action,
        object_type=object_type[:100],
        object_id=object_id,
        participant_id=participant_id,
        detail=detail[:500],
    )
