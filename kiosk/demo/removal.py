"""Turn a demo database into a real one: remove every demo record, create the first coordinator."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func

from ..auth.services import AccountError, create_user
from ..extensions import db
from ..languages.services import delete_recording_files, recording_files
from ..models import User
from ..voice.audio import delete_files, stored_recordings
from .presence import demo_present, forget_presence, is_demo_email

# Reference data, not demo: the official neighbourhoods (and codes a coordinator entered), and
# the coordinators' list of topics the residents' voice asks about (only what was said goes).
KEPT_TABLES = {"neighbourhoods", "topics", "alembic_version"}
LABELS = {
    "users": "comptes", "structures": "structures", "events": "actions", "event_partners": "partenariats d'actions",
    "checkins": "enregistrements (passages)", "cards": "cartes", "tallies": "passages non enregistrés",
    "event_summaries": "résumés statistiques", "audit_log": "entrées du journal",
    "event_topics": "sujets d'actions", "feedbacks": "avis sur les actions", "contributions": "paroles d'habitants",
    "contribution_changes": "historique du suivi des paroles",
}


class DemoError(ValueError):
    """The demo cannot be removed as asked; the message is for the console."""


def _tables():
    return [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEPT_TABLES]


def removal_plan() -> list[tuple[str, int]]:
    """Return what remove_demo() deletes: (what, how many) for every table that holds rows."""
    plan = []
    for table in _tables():
        n = db.session.execute(db.select(func.count()).select_from(table)).scalar_one()
        if n:
            plan.append((LABELS.get(table.name, table.name), n))
    return plan


def other_accounts() -> list[str]:
    """E-mails of accounts made outside the demo (by hand while trying it): removed with it."""
    emails = db.session.execute(db.select(User.email).order_by(User.email)).scalars()
    return [e for e in emails if not is_demo_email(e)]


def remove_demo(*, name: str, email: str, password: str) -> User:
    """Delete every record but the neighbourhoods and topics, and the voice messages' files; create the
    first coordinator; no commit.

    The demo is only ever loaded into an empty database, so everything made since (check-ins
    at the demo's open event, cards, practice accounts) is part of it: emptying the tables is
    the one way to be sure no demo record stays counted in real indicators.
    """
    if not demo_present():
        raise DemoError("Cette base ne contient pas de données de démonstration.")
    if is_demo_email(email):
        raise DemoError(f"Choisissez une adresse réelle, pas une adresse de démonstration ({email}).")
    recordings = stored_recordings()  # the voice messages' files go with their rows
    prompts = recording_files()  # so do the recorded prompts' (the demo's and any made since)
    for table in _tables():
        db.session.execute(table.delete())
    try:
        user = create_user(name=name, email=email, password=password, role="coordinator")
    except AccountError as exc:
        raise DemoError(str(exc)) from exc
    # Only once nothing can refuse the removal: a refused one keeps its rows, so their files too.
    delete_files(recordings)
    delete_recording_files(prompts)
    forget_presence(current_app)
    return user


@click.command("remove-demo")
@click.option("--name", help="Nom de la première personne de coordination.")
@click.option("--email", help="Son adresse e-mail.")
@click.option("--password", help="Son mot de passe (sinon demandé sans affichage).")
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
@with_appcontext
def remove_demo_command(name, email, password, yes):
    """Remove all demo data (check-ins included) and create the first real coordinator."""
    if not demo_present():
        raise click.ClickException("Cette base ne contient pas de données de démonstration.")
    click.echo("Seront supprimés définitivement (les quartiers et les sujets sont gardés ;"
               " les messages vocaux sont aussi effacés du disque) :")
    for what, n in removal_plan():
        click.echo(f"  {n:>8}  {what}")
    others = other_accounts()
    if others:
        click.echo(f"Dont {len(others)} compte(s) créé(s) pendant la démonstration : {', '.join(others)}")
    if not yes:
        answer = click.prompt("Pour les supprimer, tapez « oui »", default="", show_default=False)
        if answer.strip().lower() != "oui":
            raise click.ClickException("Rien n'a été supprimé.")
    name = name or click.prompt("Nom de la personne de coordination")
    email = email or click.prompt("Son adresse e-mail")
    password = password or click.prompt("Son mot de passe", hide_input=True, confirmation_prompt=True)
    try:
        user = remove_demo(name=name, email=email, password=password)
    except DemoError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc} Rien n'a été supprimé.") from exc
    db.session.commit()
    click.echo(f"Données de démonstration supprimées. Compte de coordination créé : {user.email}")
