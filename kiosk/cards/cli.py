import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .services import UnknownCard, erase_card, purge_unused_cards

cards_group = AppGroup("cards", help="Retention and erasure of residents' cards.")


@cards_group.command("purge")
@click.option("--months", type=int, default=None, help="Default: RETENTION_MONTHS.")
@click.option("--dry-run", is_flag=True, help="Count what would be unlinked; change nothing.")
def purge(months: int | None, dry_run: bool):
    """Unlink cards unused for RETENTION_MONTHS from their check-ins (run it daily)."""
    months = months if months is not None else current_app.config["RETENTION_MONTHS"]
    if months < 1:
        raise click.BadParameter("au moins 1 mois", param_hint="--months")
    report = purge_unused_cards(months=months, dry_run=dry_run)
    verb = "seraient dissociées" if dry_run else "dissociées"
    click.echo(f"{report.cards} cartes inutilisées depuis le {report.cutoff:%d/%m/%Y} {verb} "
               f"de {report.checkins} passages (qui restent comptés, anonymes).")
    if not dry_run:
        db.session.commit()


@cards_group.command("erase")
@click.argument("code")
def erase(code: str):
    """Erase one card on request, by its code."""
    try:
        count = erase_card(code)
    except UnknownCard:
        raise click.ClickException("Aucune carte ne porte ce code (vérifiez la saisie).") from None
    db.session.commit()
    click.echo(f"Carte effacée ; {count} passages sont désormais anonymes.")
