"""The filters of the statistics page and exports, parsed from a query string (or CLI options)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from ..dates import year_problem
from ..extensions import db
from ..i18n import _
from ..inputs import parse_id
from ..models import CITIES, Event, Neighbourhood, Structure
from .indicators import Filters

FIELDS = ("from", "to", "city", "neighbourhood", "structure", "theme")
# Parameters that are not filters but travel with them (display choices, htmx).
OTHER_PARAMETERS = {"mode", "format"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


class FilterError(ValueError):
    """A filter could not be understood; the message is for the user."""


@dataclass
class FilterInput:
    """What the user asked for, as typed, with the errors met reading it."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    filters: Filters = field(default_factory=Filters)

    @property
    def valid(self) -> bool:
        return not self.errors

    def describe(self) -> list[tuple[str, str]]:
        """Return the filters in words, for definitions sheets, reports and the audit log."""
        f = self.filters
        rows = [
            (_("Du"), f.start.strftime("%d/%m/%Y") if f.start else _("le début")),
            (_("Au"), f.end.strftime("%d/%m/%Y") if f.end else _("aujourd'hui")),
        ]
        if f.scope_city:
            rows.append((_("Territoire"), f.scope_city))
        if f.city:
            rows.append((_("Ville"), f.city))
        if f.neighbourhood_id:
            rows.append((_("Quartier de l'action"), str(db.session.get(Neighbourhood, f.neighbourhood_id))))
        if f.structure_id:
            rows.append((_("Structure (porteuse ou partenaire)"), db.session.get(Structure, f.structure_id).name))
        if f.theme:
            rows.append((_("Thème"), f.theme))
        if f.scope_structure_id:
            scope = db.session.get(Structure, f.scope_structure_id)
            rows.append((_("Limité aux actions de"), scope.name if scope else _("aucune structure")))
        return rows


def parse_date(text: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            value = datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
        if problem := year_problem(value, text):
            raise FilterError(problem)
        return value
    raise FilterError(_("« %(value)s » n'est pas une date : écrivez-la jj/mm/aaaa.", value=text))


def find_neighbourhood(text: str) -> Neighbourhood:
    """Find a neighbourhood by its id or its official code."""
    text = text.strip()
    found = None
    if (neighbourhood_id := parse_id(text)) is not None:
        found = db.session.get(Neighbourhood, neighbourhood_id)
    if found is None:
        found = db.session.execute(db.select(Neighbourhood).where(Neighbourhood.code == text.upper())).scalar()
    if found is None:
        raise FilterError(_("Quartier inconnu : « %(value)s ».", value=text))
    return found


def find_structure(text: str) -> Structure:
    structure_id = parse_id(text)
    found = db.session.get(Structure, structure_id) if structure_id is not None else None
    if found is None:
        raise FilterError(_("Structure inconnue : « %(value)s ».", value=text))
    return found


def themes(scope_structure_id: int | None = None) -> list[str]:
    """Themes of the events one may see: an animateur's list names no other structure's theme."""
    query = db.select(Event.theme).where(Event.theme != "")
    if scope_structure_id:
        query = query.where(Event.structure_id == scope_structure_id)
    return list(db.session.execute(query.distinct().order_by(Event.theme)).scalars())


def read_filters(args, scope_structure_id: int | None = None, scope_city: str | None = None) -> FilterInput:
    """Read the filters from a mapping of strings (query string or CLI options)."""
    result = FilterInput(values={k: (args.get(k) or "").strip() for k in FIELDS})
    for name in args:
        if name not in FIELDS and name not in OTHER_PARAMETERS:
            result.errors.setdefault("other", _("Filtre inconnu : « %(name)s ».", name=name))
    values, kwargs = result.values, {"scope_structure_id": scope_structure_id, "scope_city": scope_city}
    if values["city"]:
        if values["city"] not in CITIES:
            result.errors["city"] = _("Ville inconnue : « %(value)s ».", value=values["city"])
        elif scope_city and values["city"] != scope_city:
            result.errors["city"] = _("« %(value)s » n'est pas dans votre territoire.", value=values["city"])
        else:
            kwargs["city"] = values["city"]
    readers = {"from": ("start", parse_date), "to": ("end", parse_date),
               "neighbourhood": ("neighbourhood_id", lambda v: find_neighbourhood(v).id),
               "structure": ("structure_id", lambda v: find_structure(v).id)}
    for name, (attribute, reader) in readers.items():
        if values[name]:
            try:
                kwargs[attribute] = reader(values[name])
            except FilterError as error:
                result.errors[name] = str(error)
    if values["theme"]:
        if values["theme"] in themes(scope_structure_id):
            kwargs["theme"] = values["theme"]
        else:
            result.errors["theme"] = _("Thème inconnu : « %(value)s ».", value=values["theme"])
    start, end = kwargs.get("start"), kwargs.get("end")
    if start and end and start > end:
        result.errors["to"] = _("La date de fin (%(end)s) est avant la date de début (%(start)s).",
                                end=end.strftime("%d/%m/%Y"), start=start.strftime("%d/%m/%Y"))
    if result.valid:
        result.filters = Filters(**kwargs)
    return result


def choices(scope_structure_id: int | None = None, scope_city: str | None = None) -> dict:
    """Options of the filter selects: a city's staff choose among that city's neighbourhoods."""
    query = db.select(Neighbourhood).order_by(Neighbourhood.name)
    if scope_city:
        query = query.where(Neighbourhood.commune == scope_city)
    neighbourhoods = db.session.execute(query).scalars().all()
    structures = db.session.execute(db.select(Structure).order_by(Structure.name)).scalars().all()
    cities = [scope_city] if scope_city else list(CITIES)
    return {"neighbourhoods": neighbourhoods, "structures": structures, "themes": themes(scope_structure_id),
            "cities": cities}


def last_complete_month_end(today: date) -> date:
    """Return the last day of the last calendar month that is over."""
    return today.replace(day=1) - timedelta(days=1)


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def shared_selection(selection: FilterInput, today: date) -> FilterInput:
    """Hold a shared export to whole calendar months that are over, so exports cannot be subtracted.

    Without an end, the period stops at the last month that is over. A period that starts
    or ends inside a month, or reaches the current month, is refused with the reason.
    """
    if not selection.valid:
        return selection
    f, errors = selection.filters, {}
    last = last_complete_month_end(today)
    if f.start and f.start.day != 1:
        errors["from"] = _("Un export partagé porte sur des mois entiers : commencez un 1er du mois "
                           "(par exemple le %(day)s).", day=f.start.replace(day=1).strftime("%d/%m/%Y"))
    if f.end and f.end != month_end(f.end):
        errors["to"] = _("Un export partagé porte sur des mois entiers : finissez le dernier jour d'un mois "
                         "(par exemple le %(day)s).", day=month_end(f.end).strftime("%d/%m/%Y"))
    elif f.end and f.end > last:
        errors["to"] = _("Un export partagé s'arrête au dernier mois fini : le %(day)s au plus tard.",
                         day=last.strftime("%d/%m/%Y"))
    if not errors and f.start and f.start > last:
        errors["from"] = _("Un export partagé s'arrête au dernier mois fini : le %(day)s au plus tard.",
                           day=last.strftime("%d/%m/%Y"))
    if errors:
        return replace(selection, errors={**selection.errors, **errors}, filters=Filters())
    if f.end is None:
        return replace(selection, filters=replace(f, end=last))
    return selection
