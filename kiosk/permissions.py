"""Who may do what: every role and territory rule, in one place, read from the database per request.

Roles (User.role): a coordinator runs a territory (User.city: one city, or None for the
whole métropole); an animateur works for a structure; a "benevole" (volunteer, residents'
council member) is given events one by one; a "delegue" (State delegate) reads the figures
of a territory, never an event or a resident's record. A structure or an event belongs to
the city of its neighbourhood (Neighbourhood.commune); see DESIGN.md "Territoires et rôles".

Nothing here is kept in the session: a partner removed from an event, an account moved to
another city or a volunteer's event closed take effect on the very next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import and_, false, or_, select, true
from werkzeug.exceptions import Forbidden, Gone

from .models import CITIES, Event, Neighbourhood, Structure, User, event_partners, event_volunteers

COORDINATOR, ANIMATEUR, VOLUNTEER, DELEGATE = "coordinator", "animateur", "benevole", "delegue"

# What one may do with an event, each level including the ones before it.
VIEW = 1  # its page (volunteers: their events only)
RUN = 2  # its kiosk on one's tablet, its live view, tallies (volunteers stop here)
HELP = 3  # orientations, contributions, poster and cards (partner structures stop here)
MANAGE = 4  # edit, open, close, void, the list of check-ins, report and export (owner, coordinators)


def _message(key: str) -> str:
    from .i18n import _

    return {
        "territory": _("Cette page relève d'un autre territoire que le vôtre."),
        "owner": _("Seules la structure porteuse de l'action et la coordination peuvent faire cela."),
        "event": _("Cette action ne fait pas partie de celles qui vous sont confiées."),
        "volunteer": _("En tant que bénévole, vous tenez le kiosque et comptez les passages de vos actions ; "
                       "cette page n'en fait pas partie."),
        "delegate": _("Votre accès de délégué·e est en lecture seule : statistiques et bilans partagés."),
        "closed": _("Cette action est clôturée : votre accès de bénévole s'est arrêté avec elle."),
        "coordination": _("Cette page est réservée à la coordination."),
        "metropole": _("Cette page est réservée à la coordination de la métropole."),
        "role": _("Votre rôle ne donne pas accès à cette page."),
    }[key]


class Denied(Forbidden):
    """A refusal with its reason in words, shown on the error page (errors/error.html)."""

    hlm = True

    def __init__(self, reason: str):
        super().__init__(description=_message(reason))


class Ended(Gone):
    hlm = True

    def __init__(self, reason: str):
        super().__init__(description=_message(reason))


def deny(reason: str):
    raise Denied(reason)


# Roles and territories ---------------------------------------------------------------------

def is_coordinator(user) -> bool:
    return getattr(user, "role", None) == COORDINATOR and user.is_active


def is_metropole_coordinator(user) -> bool:
    return is_coordinator(user) and user.city is None


def is_delegate(user) -> bool:
    return getattr(user, "role", None) == DELEGATE


def is_volunteer(user) -> bool:
    return getattr(user, "role", None) == VOLUNTEER


def is_animateur(user) -> bool:
    return getattr(user, "role", None) == ANIMATEUR


def territory(user) -> str | None:
    """The city a coordinator or delegate covers, None for the whole métropole."""
    return user.city if user.city in CITIES else None


def in_territory(user, city: str | None) -> bool:
    covered = territory(user)
    return covered is None or city == covered


def structure_city(structure: Structure | None) -> str:
    return structure.neighbourhood.commune if structure is not None and structure.neighbourhood else ""


def account_city(user: User) -> str:
    """The city an account belongs to: its own (coordinators, delegates, volunteers) or its structure's."""
    return user.city or structure_city(user.structure)


def neighbourhood_condition(user):
    """A WHERE clause on Neighbourhood keeping the user's territory (true for the métropole)."""
    covered = territory(user)
    return Neighbourhood.commune == covered if covered else true()


def structure_condition(user):
    """A WHERE clause on Structure keeping the structures of the user's territory."""
    covered = territory(user)
    if not covered:
        return true()
    return Structure.neighbourhood_id.in_(select(Neighbourhood.id).where(Neighbourhood.commune == covered))


def event_territory_condition(user):
    covered = territory(user)
    if not covered:
        return true()
    return Event.neighbourhood_id.in_(select(Neighbourhood.id).where(Neighbourhood.commune == covered))


# Events -----------------------------------------------------------------------------------

def _partner_ids(event: Event) -> set[int]:
    return {p.id for p in event.partners}


def event_access(user, event: Event) -> int:
    """The highest level (VIEW … MANAGE) the user has on the event; 0 for none."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return 0
    if is_coordinator(user):
        return MANAGE if in_territory(user, event.city) else 0
    if is_animateur(user) and user.structure_id is not None:
        if event.structure_id == user.structure_id:
            return MANAGE
        return HELP if user.structure_id in _partner_ids(event) else 0
    if is_volunteer(user):
        assigned = any(v.id == user.id for v in event.volunteers)
        return RUN if assigned and event.status != "closed" else 0
    return 0


def can_view_event(user, event: Event) -> bool:
    return event_access(user, event) >= VIEW


def can_run_event(user, event: Event) -> bool:
    """Open its kiosk, see its live view, add tallies."""
    return event_access(user, event) >= RUN


def can_help_event(user, event: Event) -> bool:
    """Record orientations and contributions, print its poster and cards (partners included)."""
    return event_access(user, event) >= HELP


def can_edit_event(user, event: Event) -> bool:
    """Edit, open, close, void a check-in: the owning structure and the coordinators of its territory."""
    return event_access(user, event) >= MANAGE


def can_export_event(user, event: Event) -> bool:
    return can_edit_event(user, event)


def is_partner_of(user, event: Event) -> bool:
    return is_animateur(user) and user.structure_id is not None and user.structure_id in _partner_ids(event)


def _refusal_reason(user, event: Event, need: int) -> Exception:
    if is_delegate(user):
        return Denied("delegate")
    if is_coordinator(user):
        return Denied("territory")
    if is_volunteer(user):
        if any(v.id == user.id for v in event.volunteers):
            return Ended("closed") if event.status == "closed" else Denied("volunteer")
        return Denied("event")
    if event_access(user, event) >= VIEW:
        return Denied("owner")
    return Denied("event")


def require_event(user, event: Event, need: int = VIEW) -> None:
    if event_access(user, event) < need:
        raise _refusal_reason(user, event, need)


def event_or_404(code: str, need: int = VIEW) -> Event:
    """Return the event with this code if the current user may do ``need`` with it; 404, 403 or 410 otherwise."""
    # Imported here: the events blueprint imports this module while it loads.
    from .events.services import get_event_by_code

    event = get_event_by_code(code) or abort(404)
    require_event(current_user, event, need)
    return event


def visible_events_query(user):
    """Select the events a user finds in their list."""
    query = select(Event)
    if is_coordinator(user):
        return query.where(event_territory_condition(user))
    if is_animateur(user) and user.structure_id is not None:
        partner = select(event_partners.c.event_id).where(event_partners.c.structure_id == user.structure_id)
        return query.where(or_(Event.structure_id == user.structure_id, Event.id.in_(partner)))
    if is_volunteer(user):
        given = select(event_volunteers.c.event_id).where(event_volunteers.c.user_id == user.id)
        return query.where(Event.id.in_(given), Event.status != "closed")
    return query.where(false())


def can_list_events(user) -> bool:
    return not is_delegate(user)


def home_endpoint(user) -> str:
    return "stats.index" if is_delegate(user) else "events.index"


def uses_kiosk(user) -> bool:
    """Animateurs and volunteers leave kiosk mode with their PIN."""
    return is_animateur(user) or is_volunteer(user)


def can_create_events(user) -> bool:
    return is_coordinator(user) or (is_animateur(user) and user.structure_id is not None)


def chooses_event_structure(user) -> bool:
    """Coordinators say which structure carries an event; an animateur's is their own."""
    return is_coordinator(user)


def can_place_event(user, neighbourhood: Neighbourhood | None) -> bool:
    """A city coordinator places events in their city only; others anywhere."""
    if neighbourhood is None:
        return False
    return not is_coordinator(user) or in_territory(user, neighbourhood.commune)


# Places, structures and accounts -----------------------------------------------------------

def can_manage_neighbourhood(user, neighbourhood: Neighbourhood | None) -> bool:
    return is_coordinator(user) and (neighbourhood is None or in_territory(user, neighbourhood.commune))


def can_manage_structure_record(user, structure: Structure | None) -> bool:
    """Edit the structure itself (name, kind, neighbourhood): coordinators of its city."""
    if not is_coordinator(user):
        return False
    return structure is None or territory(user) is None or in_territory(user, structure_city(structure))


def can_manage_structure(user, structure: Structure | int | None) -> bool:
    """Its activities and reception: its own staff, and the coordinators of its city."""
    if isinstance(structure, int):
        from .extensions import db

        structure = db.session.get(Structure, structure)
    if structure is None:
        return False
    if is_coordinator(user):
        return can_manage_structure_record(user, structure)
    return is_animateur(user) and user.structure_id == structure.id


def manageable_structures_condition(user):
    """Structures whose activities and reception the user runs."""
    if is_coordinator(user):
        return structure_condition(user)
    if is_animateur(user) and user.structure_id is not None:
        return Structure.id == user.structure_id
    return false()


def can_manage_account(user, account: User | None) -> bool:
    """A city coordinator manages the accounts of their city; the métropole every account."""
    if not is_coordinator(user):
        return False
    return account is None or territory(user) is None or account_city(account) == territory(user)


def grantable_roles(user) -> tuple[str, ...]:
    return (COORDINATOR, ANIMATEUR, VOLUNTEER, DELEGATE) if is_coordinator(user) else ()


def can_grant(user, *, role: str, city: str | None) -> bool:
    """A city coordinator gives accounts of their city only, never a métropole-wide one."""
    if role not in grantable_roles(user):
        return False
    covered = territory(user)
    return covered is None or city == covered


def accounts_condition(user):
    covered = territory(user)
    if not covered:
        return true()
    in_city = select(Structure.id).join(Neighbourhood, Neighbourhood.id == Structure.neighbourhood_id).where(
        Neighbourhood.commune == covered)
    return or_(User.city == covered, and_(User.city.is_(None), User.structure_id.in_(in_city)))


def can_manage_volunteers_of(user, event: Event) -> bool:
    return can_edit_event(user, event)


# Coordination pages -------------------------------------------------------------------------

def can_manage_cards(user) -> bool:
    """Erasing a card: any coordinator (a card belongs to no city)."""
    return is_coordinator(user)


def can_manage_training(user) -> bool:
    return is_coordinator(user)


def can_manage_topics(user) -> bool:
    return is_coordinator(user)


def can_manage_devices(user) -> bool:
    """Stand devices push for any event of their structure: the métropole's coordination only."""
    return is_metropole_coordinator(user)


def can_read_review(user) -> bool:
    return is_coordinator(user) or is_delegate(user)


def review_shared_only(user) -> bool:
    return is_delegate(user)


def review_neighbourhoods_condition(user):
    return neighbourhood_condition(user)


# Voice (contributions) ---------------------------------------------------------------------

def contributions_condition(user, contribution_model):
    """A WHERE clause (the query joins Event) on the contributions a staff member may read."""
    if is_coordinator(user):
        return event_territory_condition(user)
    if is_animateur(user) and user.structure_id is not None:
        partner = select(event_partners.c.event_id).where(event_partners.c.structure_id == user.structure_id)
        return or_(Event.structure_id == user.structure_id, Event.id.in_(partner),
                   contribution_model.assigned_structure_id == user.structure_id)
    return false()


def can_read_contribution(user, contribution) -> bool:
    if is_coordinator(user):
        return in_territory(user, contribution.event.city)
    if not is_animateur(user) or user.structure_id is None:
        return False
    return (user.structure_id in (contribution.event.structure_id, contribution.assigned_structure_id)
            or user.structure_id in _partner_ids(contribution.event))


def can_use_voice_board(user) -> bool:
    return is_coordinator(user) or (is_animateur(user) and user.structure_id is not None)


def can_use_reception(user) -> bool:
    return is_coordinator(user) or (is_animateur(user) and user.structure_id is not None)


# Statistics ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class StatsScope:
    """What the statistics page and exports may cover for one user."""

    structure_id: int | None  # an animateur: their structure's events (owned or co-run)
    city: str | None  # a city coordinator or delegate: that city's events
    exact: bool  # exact figures on the page; else the small-count rule everywhere
    internal: bool  # exact exports (logged)
    raw: bool  # the check-ins one per row (logged)


def stats_scope(user) -> StatsScope | None:
    """None: no figures at all (volunteers, and accounts without a structure)."""
    if is_coordinator(user):
        return StatsScope(structure_id=None, city=territory(user), exact=True, internal=True, raw=True)
    if is_delegate(user):
        return StatsScope(structure_id=None, city=territory(user), exact=False, internal=False, raw=False)
    if is_animateur(user) and user.structure_id is not None:
        return StatsScope(structure_id=user.structure_id, city=None, exact=True, internal=False, raw=False)
    return None


def require_stats(user) -> StatsScope:
    scope = stats_scope(user)
    if scope is None:
        deny("volunteer" if is_volunteer(user) else "role")
    return scope


# Decorators ---------------------------------------------------------------------------------

def allowed(rule, reason: str = "coordination"):
    """Let a logged-in user through when ``rule(current_user)`` holds; 403 with the reason otherwise."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not rule(current_user):
                deny("delegate" if is_delegate(current_user) else
                     "volunteer" if is_volunteer(current_user) else reason)
            return view(*args, **kwargs)

        return wrapped

    return decorate


coordinator_required = allowed(is_coordinator)
metropole_coordinator_required = allowed(is_metropole_coordinator, "metropole")


def may_translate(user) -> bool:
    """Coordinators always; animateurs (mediators) given the translator flag."""
    return is_coordinator(user) or bool(getattr(user, "translator", False))


def translator_required(view):
    """Refuse anyone but a coordinator or an animateur given the translator flag."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not may_translate(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped
