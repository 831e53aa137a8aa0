"""`flask voice ...`: retention of voice messages and of residents' words."""

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .audio import purge_old_audio
from .retention import forget_old_words

voice_group = AppGroup("voice", help="Residents' voice: topics, retention of voice messages and texts.")


@voice_group.command("purge")
@click.option("--days", type=int, default=None, help="Default: VOICE_RETENTION_DAYS.")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; change nothing.")
def purge(days: int | None, dry_run: bool):
    """Delete voice messages older than VOICE_RETENTION_DAYS, and residents' words past RETENTION_MONTHS (daily)."""
    days = days if days is not None else current_app.config["VOICE_RETENTION_DAYS"]
    if days < 1:
        raise click.BadParameter("au moins 1 jour", param_hint="--days")
    audio = purge_old_audio(days=days, dry_run=dry_run)
    words = forget_old_words(months=current_app.config["RETENTION_MONTHS"], dry_run=dry_run)
    verb = "seraient supprimés" if dry_run else "supprimés"
    click.echo(f"{audio} messages vocaux de plus de {days} jours {verb}.")
    click.echo(f"{words} textes d'habitants de plus de {current_app.config['RETENTION_MONTHS']} mois {verb} "
               "(la reformulation publiée, le statut et la réponse restent).")
    if not dry_run:
        db.session.commit()


@voice_group.command("topics")
def topics():
    """Add the usual topics (cadre de vie, propreté, ...) where missing."""
    from .topics import ensure_default_topics

    added = ensure_default_topics()
    db.session.commit()
    click.echo(f"{added} sujets ajoutés.")
