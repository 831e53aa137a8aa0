"""Rules for neighbourhoods and structures."""

import re

from .. import signals
from ..extensions import db
from ..models import Neighbourhood, Structure

QPV_CODE = re.compile(r"^QN[0-9A-Z]{7}$")

# The 13 QPV of Tours Métropole Val de Loire (décret of 28 December 2023). Their official
# codes are not known here and are never invented: a coordinator enters them.
TMVL_NEIGHBOURHOODS: list[tuple[str, str]] = [
    ("Sanitas", "Tours"),
    ("Europe", "Tours"),
    ("Bord de Loire", "Tours"),
    ("Maryse Bastié", "Tours"),
    ("Rives du Cher", "Tours"),
    ("Rochepinard", "Tours"),
    ("Les Fontaines", "Tours"),
    ("Les Tourettes", "Tours"),
    ("La Rabaterie", "Saint-Pierre-des-Corps"),
    ("La Galboisière", "Saint-Pierre-des-Corps"),
    ("La Rabière", "Joué-lès-Tours"),
    ("Le Morier", "Joué-lès-Tours"),
    ("Niqueux-Bruère – Marcel Pagnol", "La Riche"),
]
OUTSIDE_QPV_NAME = "Hors QPV"


def normalise_qpv_code(raw: str | None) -> str | None:
    code = (raw or "").strip().upper().replace(" ", "")
    return code or None


def is_valid_qpv_code(code: str) -> bool:
    return bool(QPV_CODE.match(code))


def qpv_code_taken(code: str, *, exclude_id: int | None = None) -> bool:
    query = db.select(Neighbourhood.id).where(Neighbourhood.code == code)
    if exclude_id is not None:
        query = query.where(Neighbourhood.id != exclude_id)
    return db.session.execute(query).first() is not None


def ensure_reference_neighbourhoods() -> int:
    """Add the TMVL QPV and the "hors QPV" entry where missing; return how many were added."""
    existing = {n for (n,) in db.session.execute(db.select(Neighbourhood.name))}
    added = 0
    for name, commune in TMVL_NEIGHBOURHOODS:
        if name not in existing:
            db.session.add(Neighbourhood(name=name, commune=commune, is_qpv=True))
            added += 1
    if OUTSIDE_QPV_NAME not in existing:
        db.session.add(Neighbourhood(name=OUTSIDE_QPV_NAME, commune="", is_qpv=False))
        added += 1
    db.session.flush()
    if added:
        signals.neighbourhood_changed.send(None)
    return added


def save_neighbourhood(item: Neighbourhood | None, *, name: str, commune: str, code: str | None,
                       is_qpv: bool, active: bool) -> Neighbourhood:
    """Create a neighbourhood (item None) or change one; the form has checked the code."""
    item = item or Neighbourhood()
    item.name = name.strip()
    item.commune = (commune or "").strip()
    item.code = normalise_qpv_code(code)
    item.is_qpv = is_qpv
    item.active = active
    db.session.add(item)
    db.session.flush()
    signals.neighbourhood_changed.send(item.id)  # the kiosk's residence question lists them
    return item


def save_structure(item: Structure | None, *, name: str, kind: str, neighbourhood_id: int | None,
                   active: bool) -> Structure:
    """Create a partner structure (item None) or change one."""
    item = item or Structure()
    item.name = name.strip()
    item.kind = kind
    item.neighbourhood_id = neighbourhood_id or None
    item.active = active
    db.session.add(item)
    db.session.flush()
    signals.structure_changed.send(item.id)  # stands pull it
    return item


def toggle_active(item: Neighbourhood | Structure) -> None:
    """Deactivate an active neighbourhood or structure, reactivate an inactive one."""
    item.active = not item.active
    db.session.flush()
    if isinstance(item, Neighbourhood):
        signals.neighbourhood_changed.send(item.id)
    else:
        signals.structure_changed.send(item.id)


def active_neighbourhoods(*, qpv_only: bool = False) -> list[Neighbourhood]:
    query = db.select(Neighbourhood).where(Neighbourhood.active.is_(True))
    if qpv_only:
        query = query.where(Neighbourhood.is_qpv.is_(True))
    # QPV first, "hors QPV" last, then by commune and name.
    query = query.order_by(Neighbourhood.is_qpv.desc(), Neighbourhood.commune, Neighbourhood.name)
    return list(db.session.execute(query).scalars())


def active_structures() -> list[Structure]:
    return list(
        db.session.execute(
            db.select(Structure).where(Structure.active.is_(True)).order_by(Structure.name)
        ).scalars()
    )


def same_name(name: str) -> str:
    """The form of a name two structures may not share: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def structure_name_taken(name: str, *, exclude_id: int | None = None) -> bool:
    """Say whether another structure has this name, whatever its case or spacing.

    Compared in Python: SQLite's lower() folds ASCII only ("Éveil" and "éveil" would differ),
    and a city has a few hundred structures at most.
    """
    query = db.select(Structure.id, Structure.name)
    if exclude_id is not None:
        query = query.where(Structure.id != exclude_id)
    wanted = same_name(name)
    return any(same_name(other) == wanted for _id, other in db.session.execute(query))


def mirror_neighbourhood(*, uuid, code: str | None, name: str, commune: str, is_qpv: bool,
                         active: bool) -> Neighbourhood:
    """Keep a neighbourhood as the central server has it (a stand's pull), matched by UUID, else code or name."""
    item = (db.session.execute(db.select(Neighbourhood).where(Neighbourhood.uuid == uuid)).scalar()
            or (code and db.session.execute(db.select(Neighbourhood).where(Neighbourhood.code == code)).scalar())
            or db.session.execute(db.select(Neighbourhood).where(
                Neighbourhood.name == name, Neighbourhood.commune == commune)).scalar()
            or Neighbourhood())
    item.uuid, item.code, item.name, item.commune = uuid, code, name, commune
    item.is_qpv, item.active = is_qpv, active
    db.session.add(item)
    db.session.flush()
    signals.neighbourhood_changed.send(item.id)
    return item


def mirror_structure(*, uuid, name: str, kind: str, neighbourhood_id: int | None, active: bool) -> Structure:
    """Keep a structure as the central server has it (a stand's pull), matched by UUID, else name."""
    item = (db.session.execute(db.select(Structure).where(Structure.uuid == uuid)).scalar()
            or db.session.execute(db.select(Structure).where(Structure.name == name)).scalar()
            or Structure())
    item.uuid, item.name, item.kind = uuid, name, kind
    item.neighbourhood_id, item.active = neighbourhood_id, active
    db.session.add(item)
    db.session.flush()
    return item
