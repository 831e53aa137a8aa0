"""Demo data: `flask --app app seed-demo` fills an empty database with a realistic year."""

import random
from datetime import timedelta

import click
from flask import Flask
from flask.cli import with_appcontext

from ..auth.services import create_user
from ..codes import new_event_code
from ..extensions import db
from ..models import Event, Neighbourhood, Structure, User, utcnow
from ..places.services import ensure_reference_neighbourhoods
from .generator import generate_activity

DEMO_PASSWORD = "demo-hors-les-murs"
DEMO_PIN = "246810"
DEMO_USERS = [
    ("Claire Martin", "coordination@demo.hors-les-murs.fr", "coordinator", None),
    ("Karim Benali", "animation.sanitas@demo.hors-les-murs.fr", "animateur", "Centre social du Sanitas"),
    ("Awa Diallo", "animation.rabaterie@demo.hors-les-murs.fr", "animateur", "Centre social de la Rabaterie"),
]
# Fictional partners, each attached to a real QPV of the metropolis.
DEMO_STRUCTURES = [
    ("Centre social du Sanitas", "centre_social", "Sanitas"),
    ("Centre social de la Rabaterie", "centre_social", "La Rabaterie"),
    ("Maison de quartier des Fontaines", "centre_social", "Les Fontaines"),
    ("Centre social de l'Europe", "centre_social", "Europe"),
    ("Espace de vie sociale de la Rabière", "centre_social", "La Rabière"),
    ("Association Parents d'élèves du Morier", "association", "Le Morier"),
    ("Association Sport pour tous Rives du Cher", "association", "Rives du Cher"),
    ("Association Lire et écrire Tourettes", "association", "Les Tourettes"),
    ("Bailleur social — agence Bord de Loire", "bailleur", "Bord de Loire"),
    ("Médiation de proximité — Ville de Tours", "service_ville", "Maryse Bastié"),
    ("Conseil citoyen de Rochepinard", "conseil_citoyen", "Rochepinard"),
    ("Maison des jeunes de la Galboisière", "association", "La Galboisière"),
]


def database_has_data() -> bool:
    return any(
        db.session.execute(db.select(model.id).limit(1)).first() is not None
        for model in (User, Event, Structure)
    )


def seed_demo(*, checkins: int = 3000, events: int = 100, seed: int = 2026) -> dict:
    """Fill an empty database with demo data; return the logins and the open event."""
    rng = random.Random(seed)
    ensure_reference_neighbourhoods()
    by_name = {n.name: n for n in db.session.execute(db.select(Neighbourhood)).scalars()}
    structures = []
    for name, kind, quarter in DEMO_STRUCTURES:
        structure = Structure(name=name, kind=kind, neighbourhood=by_name[quarter])
        db.session.add(structure)
        structures.append(structure)
    db.session.flush()
    structure_by_name = {s.name: s for s in structures}
    users = [
        create_user(name=name, email=email, password=DEMO_PASSWORD, role=role,
                    structure_id=structure_by_name[s].id if s else None,
                    pin=DEMO_PIN if role == "animateur" else None)
        for name, email, role, s in DEMO_USERS
    ]
    now = utcnow()
    generate_activity(
        rng=rng, start=now - timedelta(days=365), end=now - timedelta(days=1),
        event_count=events, checkin_count=checkins,
        neighbourhoods=list(by_name.values()), structures=structures, author=users[0],
    )
    sanitas = structure_by_name["Centre social du Sanitas"]
    today = Event(
        code=new_event_code(), title="Café des habitants au pied des tours", theme="Cadre de vie",
        place_label="Place Saint-Paul, Sanitas", neighbourhood=sanitas.neighbourhood, structure=sanitas,
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=4),
        interpreter_languages="ar,tr", childcare_offered=True, status="open", opened_at=now,
        created_by=users[1], partners=[structure_by_name["Bailleur social — agence Bord de Loire"]],
    )
    db.session.add(today)
    db.session.commit()
    return {"users": [(u.email, u.role) for u in users], "open_event": today.code}


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when data exists.")
@click.option("--checkins", default=3000, show_default=True)
@click.option("--events", default=100, show_default=True)
@with_appcontext
def seed_demo_command(if_empty: bool, checkins: int, events: int):
    """Fill an empty database with demo data (a year of events and check-ins)."""
    if not db.inspect(db.engine).has_table(User.__tablename__):
        raise click.ClickException("La base n'a pas encore de tables : lancez d'abord « flask --app app db upgrade ».")
    if database_has_data():
        if if_empty:
            click.echo("La base contient déjà des données : données de démonstration non chargées.")
            return
        raise click.ClickException(
            "La base contient déjà des données : seed-demo ne touche qu'une base vide."
        )
    info = seed_demo(checkins=checkins, events=events)
    click.echo(f"Données de démonstration chargées ({checkins} passages, {events} actions passées).")
    print_demo_logins(info["open_event"])


def print_demo_logins(open_event: str | None = None) -> None:
    click.echo(f"Comptes de démonstration (mot de passe « {DEMO_PASSWORD} », code PIN kiosque {DEMO_PIN}) :")
    for _name, email, role, structure in DEMO_USERS:
        click.echo(f"  {email:45} {role}{' — ' + structure if structure else ''}")
    if open_event:
        click.echo(f"Action ouverte aujourd'hui : {open_event}")


def print_demo_logins_if_present() -> None:
    """Print the demo logins and the open event, when this database holds the demo."""
    from ..auth.services import find_user_by_email

    if find_user_by_email(DEMO_USERS[0][1]) is None:
        return
    event = db.session.execute(
        db.select(Event).where(Event.status == "open").order_by(Event.starts_at.desc()).limit(1)
    ).scalar_one_or_none()
    print_demo_logins(event.code if event else None)


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
