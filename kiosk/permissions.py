"""Who may do what: one place for the role rules that every route applies."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .models import Event, User


def coordinator_required(view):
    """Refuse anyone but a logged-in coordinator."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_coordinator:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def translator_required(view):
    """Refuse anyone but a coordinator or an animateur given the translator flag."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.may_translate:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def can_manage_event(user: User, event: Event) -> bool:
    """A coordinator manages every event; an animateur those of their structure."""
    if user.is_coordinator:
        return True
    return user.structure_id is not None and event.structure_id == user.structure_id


def require_event_access(user: User, event: Event) -> None:
    if not can_manage_event(user, event):
        abort(403)


def event_or_404(code: str) -> Event:
    """Return the event with this code if the current user manages it; 404 or 403 otherwise."""
    # Imported here: the events blueprint imports this module while it loads.
    from .events.services import get_event_by_code

    event = get_event_by_code(code) or abort(404)
    require_event_access(current_user, event)
    return event
