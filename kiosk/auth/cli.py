import click
from flask.cli import with_appcontext

from ..extensions import db
from ..models import Structure
from .services import AccountError
from .services import create_user as create_user_account


@click.command("create-user")
@click.option("--name", prompt="Nom")
@click.option("--email", prompt="E-mail")
@click.option("--role", type=click.Choice(["coordinator", "animateur"]), default="coordinator",
              show_default=True)
@click.option("--structure", "structure_name", default=None, help="Structure (animateurs).")
@click.option("--password", prompt="Mot de passe", hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_user(name, email, role, structure_name, password):
    """Create an account (the first coordinator, typically)."""
    structure_id = None
    if structure_name:
        structure = db.session.execute(
            db.select(Structure).where(Structure.name == structure_name)
        ).scalar_one_or_none()
        if structure is None:
            raise click.ClickException(f"Structure inconnue : {structure_name}")
        structure_id = structure.id
    try:
        user = create_user_account(
            name=name, email=email, password=password, role=role, structure_id=structure_id
        )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Compte créé : {user.email} ({user.role})")
