"""flask languages ...: the demo's recorded prompts."""

import click
from flask.cli import with_appcontext

from ..extensions import db


@click.group("languages", help="Langues du kiosque : traductions et voix enregistrées.")
def languages_group():
    pass


@languages_group.command("seed-demo-recordings")
@with_appcontext
def seed_demo_recordings_command():
    """Load the demo's recordings (espeak-ng, marked as demo) into the database."""
    from .demo import seed_demo_recordings

    count = seed_demo_recordings()
    db.session.commit()
    click.echo(f"{count} enregistrements de démonstration.")
