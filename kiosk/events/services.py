"""Event rules: creation, editing, opening and closing. Plain functions, no request."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import to_user_timezone, to_utc

from .. import permissions, signals
from ..codes import new_event_code
from ..database import begin_write
from ..extensions import db
from ..models import Event, Neighbourhood, Structure, User, utcnow

# When a check-in comes, against the event's times (see checkin_timing).
EARLY, ON_TIME, LATE = "early", "on_time", "late"


class EventError(ValueError):
    """An event rule was broken; the message is for the user."""


@dataclass
class EventData:
    title: str
    neighbourhood_id: int
    starts_at: datetime  # naive UTC
    ends_at: datetime  # naive UTC
    structure_id: int | None = None
    theme: str = ""
    place_label: str = ""
    partner_ids: tuple[int, ...] = ()
    volunteer_ids: tuple[int, ...] = ()
    interpreter_languages: tuple[str, ...] = ()
    childcare_offered: bool = False
    express_mode: bool = False


def local_to_utc(value: datetime) -> datetime:
    """Turn a wall-clock time typed in the deployment's zone into naive UTC."""
    return to_utc(value).replace(tzinfo=None)


def utc_to_local(value: datetime) -> datetime:
    return to_user_timezone(value).replace(tzinfo=None)


def unique_event_code() -> str:
    while True:
        code = new_event_code()
        if db.session.execute(db.select(Event.id).where(Event.code == code)).first() is None:
            return code


def _apply(event: Event, data: EventData) -> None:
    from ..i18n import _

    if data.ends_at <= data.starts_at:
        raise EventError(_("La fin doit être après le début."))
    if data.ends_at - data.starts_at > timedelta(days=2):
        raise EventError(_("Une action hors les murs dure au plus deux jours."))
    event.title = data.title.strip()
    event.theme = data.theme.strip()
    event.place_label = data.place_label.strip()
    event.neighbourhood_id = data.neighbourhood_id
    event.structure_id = data.structure_id
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.interpreter_languages = ",".join(data.interpreter_languages)
    event.childcare_offered = data.childcare_offered
    event.express_mode = data.express_mode
    partners = [db.session.get(Structure, i) for i in data.partner_ids]
    event.partners = [p for p in partners if p is not None and p.id != data.structure_id]
    volunteers = [db.session.get(User, i) for i in data.volunteer_ids]
    event.volunteers = [v for v in volunteers if v is not None and v.role == "benevole"]


def _check_place(data: EventData, author: User) -> None:
    from ..i18n import _

    if not permissions.can_place_event(author, db.session.get(Neighbourhood, data.neighbourhood_id)):
        raise EventError(_("Ce quartier n'est pas dans votre territoire."))


def create_event(data: EventData, *, author: User) -> Event:
    """Create a draft event owned by the author's structure unless one is given."""
    from ..i18n import _

    if not permissions.can_create_events(author):
        raise EventError(_("Votre rôle ne permet pas de créer une action."))
    event = Event(code=unique_event_code(), status="draft", created_by=author)
    if not permissions.chooses_event_structure(author):
        data.structure_id = author.structure_id
    _check_place(data, author)
    _apply(event, data)
    db.session.add(event)
    db.session.flush()
    signals.event_changed.send(event.id)
    return event


def update_event(event: Event, data: EventData, *, author: User) -> None:
    from ..i18n import _

    if event.status == "closed":
        raise EventError(_("Une action clôturée ne peut plus être modifiée."))
    if not permissions.chooses_event_structure(author):
        data.structure_id = event.structure_id
    _check_place(data, author)
    _apply(event, data)
    db.session.flush()
    signals.event_changed.send(event.id)


def open_event(event: Event) -> None:
    """Open check-in. A closed event stays closed: its report is final."""
    from ..i18n import _

    if event.status == "closed":
        raise EventError(_("Cette action est clôturée : elle ne peut pas être rouverte."))
    event.status = "open"
    event.opened_at = event.opened_at or utcnow()
    db.session.flush()
    signals.event_changed.send(event.id)


def checkin_window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """Return when check-ins open and close for an event with these times (naive UTC)."""
    margin = timedelta(minutes=current_app.config["CHECKIN_MARGIN_MINUTES"])
    return starts_at - margin, ends_at + margin


def checkin_timing(starts_at: datetime, ends_at: datetime, now: datetime | None = None) -> str:
    """Say whether a check-in now is EARLY, ON_TIME or LATE for an event with these times."""
    opens, closes = checkin_window(starts_at, ends_at)
    now = now or utcnow()
    return EARLY if now < opens else LATE if now > closes else ON_TIME


def close_event(event: Event, *, at: datetime | None = None) -> None:
    """Close the event: its kiosks and self check-in stop accepting residents.

    :param at: when it closed, if not now (an event closed by itself after its end).
    """
    from ..i18n import _

    # A check-in under way finishes first and counts before the close; any later one reads "closed".
    begin_write()
    db.session.refresh(event, with_for_update=True)
    if event.status != "open":
        raise EventError(_("Seule une action ouverte peut être clôturée."))
    event.status = "closed"
    event.closed_at = at or utcnow()
    db.session.flush()
    signals.event_changed.send(event.id)


def close_finished_events(now: datetime | None = None) -> list[Event]:
    """Close every open event whose check-in window is over, as closing it by hand does.

    Nobody may be there to close an event: it is closed at the end of its window, the time
    it stopped taking check-ins. Called lazily when staff pages are read, and by a cron.
    """
    now = now or utcnow()
    margin = timedelta(minutes=current_app.config["CHECKIN_MARGIN_MINUTES"])
    due = list(db.session.execute(
        db.select(Event).where(Event.status == "open", Event.ends_at < now - margin).order_by(Event.id)).scalars())
    closed = []
    for event in due:
        try:
            close_event(event, at=event.ends_at + margin)
        except EventError:
            continue  # closed meanwhile, by hand or by another request
        closed.append(event)
    return closed


def list_events(user: User, when: str, *, now: datetime | None = None) -> list[Event]:
    """Events the user manages, for the tab "today", "upcoming" or "past"."""
    now = now or utcnow()
    local_now = utc_to_local(now)
    day_start = local_to_utc(local_now.replace(hour=0, minute=0, second=0, microsecond=0))
    day_end = day_start + timedelta(days=1)
    query = permissions.visible_events_query(user)
    if when == "today":
        query = query.where(Event.starts_at < day_end, Event.ends_at >= day_start).order_by(
            Event.starts_at
        )
    elif when == "upcoming":
        query = query.where(Event.starts_at >= day_end).order_by(Event.starts_at)
    else:
        query = query.where(Event.ends_at < day_start).order_by(Event.starts_at.desc()).limit(200)
    return list(db.session.execute(query).scalars())


def get_event_by_code(code: str) -> Event | None:
    return db.session.execute(
        db.select(Event).where(Event.code == code.strip().upper())
    ).scalar_one_or_none()


def set_event_team(event: Event, *, partners: list[Structure] | None, volunteers: list[User] | None) -> None:
    """Keep an event's partner structures and volunteers as the central server has them (None: unchanged)."""
    if partners is not None:
        event.partners = partners
    if volunteers is not None:
        event.volunteers = volunteers
    db.session.flush()


STATUS_ORDER = {"draft": 0, "open": 1, "closed": 2}
MIRRORED_FIELDS = ("title", "theme", "place_label", "neighbourhood_id", "structure_id", "starts_at",
                   "ends_at", "interpreter_languages", "childcare_offered", "express_mode")


def mirror_event(fields: dict, *, status: str, opened_at: datetime | None, closed_at: datetime | None,
                 code: str, uuid, settings: bool) -> Event:
    """Keep an event as another server has it, matched by UUID (stand and central sync).

    Its status only moves forward (draft, open, closed): a stand that closed an event offline
    and a central server that closed it by the clock agree. ``settings`` says whether the
    other side's title, times and place replace ours: a stand takes the central server's; the
    central server takes them only for an event it did not know (created on the stand).
    """
    event = db.session.execute(db.select(Event).where(Event.uuid == uuid)).scalar()
    created = event is None
    if created:
        taken = db.session.execute(db.select(Event.id).where(Event.code == code)).first()
        event = Event(uuid=uuid, code=unique_event_code() if taken else code, status="draft")
    if created or settings:
        for name in MIRRORED_FIELDS:
            setattr(event, name, fields[name])
    if STATUS_ORDER[status] > STATUS_ORDER[event.status]:
        event.status = status
    event.opened_at = event.opened_at or opened_at
    event.closed_at = event.closed_at or closed_at
    db.session.add(event)
    db.session.flush()
    signals.event_changed.send(event.id)
    return event
