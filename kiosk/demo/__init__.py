"""Demo data: `flask --app app seed-demo` fills an empty database with a realistic year."""

import random
import secrets
from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..auth.services import create_user
from ..codes import new_event_code
from ..extensions import db
from ..models import Event, Neighbourhood, Structure, User, utcnow
from ..places.services import ensure_reference_neighbourhoods
from ..reception.generator import generate_structure_activity
from . import presence
from .generator import generate_activity
from .presence import DEMO_DOMAIN, demo_present
from .removal import remove_demo_command

DEMO_USERS = [
    ("Claire Martin", f"coordination@{DEMO_DOMAIN}", "coordinator", None),
    ("Karim Benali", f"animation.sanitas@{DEMO_DOMAIN}", "animateur", "Centre social du Sanitas"),
    ("Awa Diallo", f"animation.rabaterie@{DEMO_DOMAIN}", "animateur", "Centre social de la Rabaterie"),
    # Issue 16: a partner co-running today's event, a volunteer given it, each city's team, a State delegate.
    ("Julien Morel", f"animation.bailleur@{DEMO_DOMAIN}", "animateur", "Bailleur social — agence Bord de Loire"),
    ("Fatou Camara", f"benevole.sanitas@{DEMO_DOMAIN}", "benevole", None),
    ("Louise Bernard", f"coordination.tours@{DEMO_DOMAIN}", "coordinator", None),
    ("Mehdi Haddad", f"coordination.spdc@{DEMO_DOMAIN}", "coordinator", None),
    ("Sophie Lefèvre", f"coordination.joue@{DEMO_DOMAIN}", "coordinator", None),
    ("Thomas Petit", f"coordination.lariche@{DEMO_DOMAIN}", "coordinator", None),
    ("Hélène Roux", f"delegue.prefet@{DEMO_DOMAIN}", "delegue", None),
]
# The territory of the accounts above that have one (the others: the métropole, or their structure's city).
DEMO_CITIES = {
    f"benevole.sanitas@{DEMO_DOMAIN}": "Tours",
    f"coordination.tours@{DEMO_DOMAIN}": "Tours",
    f"coordination.spdc@{DEMO_DOMAIN}": "Saint-Pierre-des-Corps",
    f"coordination.joue@{DEMO_DOMAIN}": "Joué-lès-Tours",
    f"coordination.lariche@{DEMO_DOMAIN}": "La Riche",
    f"delegue.prefet@{DEMO_DOMAIN}": "Tours",
}
ROLE_WORDS = {"coordinator": "coordination", "animateur": "animation", "benevole": "bénévole",
              "delegue": "délégué·e du préfet"}
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


def new_demo_password() -> str:
    return secrets.token_urlsafe(9)


def new_demo_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def seed_demo(*, checkins: int = 3000, events: int = 100, seed: int = 2026) -> dict:
    """Fill an empty database with demo data; return the open event and the new credentials.

    Passwords and the kiosk PIN are drawn here, never fixed: a demo served on the network
    must not open to a password printed in the README. They are shown once, by the caller.
    """
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
    passwords = {email: new_demo_password() for _name, email, _role, _s in DEMO_USERS}
    pin = new_demo_pin()
    users = [
        create_user(name=name, email=email, password=passwords[email], role=role,
                    structure_id=structure_by_name[s].id if s else None,
                    pin=pin if role in ("animateur", "benevole") else None)
        for name, email, role, s in DEMO_USERS
    ]
    for user in users:
        user.city = DEMO_CITIES.get(user.email)
    volunteer = next(u for u in users if u.role == "benevole")
    now = utcnow()
    generate_activity(
        rng=rng, start=now - timedelta(days=365), end=now - timedelta(days=1),
        event_count=events, checkin_count=checkins,
        neighbourhoods=list(by_name.values()), structures=structures, author=users[0],
    )
    generate_structure_activity(rng=rng, start=now - timedelta(days=365), end=now, structures=structures)
    sanitas = structure_by_name["Centre social du Sanitas"]
    today = Event(
        code=new_event_code(), title="Café des habitants au pied des tours", theme="Cadre de vie",
        place_label="Place Saint-Paul, Sanitas", neighbourhood=sanitas.neighbourhood, structure=sanitas,
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=4),
        interpreter_languages="ar,tr", childcare_offered=True, status="open", opened_at=now,
        created_by=users[1], partners=[structure_by_name["Bailleur social — agence Bord de Loire"]],
        volunteers=[volunteer],
    )
    db.session.add(today)
    db.session.flush()
    from ..voice.demo import seed_voice_demo

    seed_voice_demo(rng, today=today, author=users[0], now=now)
    from ..languages.demo import seed_demo_recordings

    seed_demo_recordings()  # issue 15: Soninké welcome and first question, machine-made, marked demo
    db.session.commit()
    presence.forget_presence(current_app)
    return {"open_event": today.code, "passwords": passwords, "pin": pin}


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
    click.echo("Comptes de démonstration — notez-les : ils ne seront plus jamais affichés.")
    for _name, email, role, structure in DEMO_USERS:
        where = structure or DEMO_CITIES.get(email) or ("métropole" if role in ("coordinator", "delegue") else "")
        click.echo(f"  {email:45} mot de passe {info['passwords'][email]}  "
                   f"{ROLE_WORDS[role]}{' — ' + where if where else ''}")
    click.echo(f"Code PIN du kiosque des animateurs : {info['pin']} (la bénévole a le même)")
    click.echo(f"Action ouverte aujourd'hui : {info['open_event']} — menée avec l'agence Bord de Loire du "
               f"bailleur (animation.bailleur) et une bénévole (benevole.sanitas)")
    click.echo(REMOVAL_HINT)


REMOVAL_HINT = ("Pour passer en service réel : flask --app app remove-demo "
                "(supprime la démonstration et crée le premier compte de coordination).")


def print_demo_notice_if_present() -> None:
    """Say at start-up that this database holds the demo, and how to leave it."""
    if not demo_present():
        return
    click.echo("Base de démonstration : comptes " + ", ".join(email for _n, email, _r, _s in DEMO_USERS))
    click.echo("  (mots de passe et PIN affichés une seule fois, au chargement de la démonstration)")
    event = db.session.execute(
        db.select(Event).where(Event.status == "open").order_by(Event.starts_at.desc()).limit(1)
    ).scalar_one_or_none()
    if event:
        click.echo(f"Action ouverte aujourd'hui : {event.code}")
    click.echo(REMOVAL_HINT)


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(remove_demo_command)
    presence.init_app(app)
