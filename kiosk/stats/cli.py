"""Command line: the same exports as the web, and synthetic activity for demos and benchmarks."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from ..extensions import db
from ..models import Neighbourhood, Structure, User, utcnow
from .exports import report_csv, report_xlsx
from .filters import read_filters
from .services import for_sharing, log_export, report_for

stats_cli = AppGroup("stats", help="Indicateurs et exports.")


@stats_cli.command("export")
@click.option("--from", "start", help="Premier jour (jj/mm/aaaa ou aaaa-mm-jj).")
@click.option("--to", "end", help="Dernier jour, inclus.")
@click.option("--neighbourhood", help="Code officiel (QN…) ou identifiant du quartier de l'action.")
@click.option("--structure", help="Identifiant de la structure (porteuse ou partenaire).")
@click.option("--theme", help="Thème des actions.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True)
@click.option("--internal", is_flag=True, help="Chiffres exacts (non partagés) ; l'export est journalisé.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True)
def export_command(start, end, neighbourhood, structure, theme, fmt, internal, out):
    """Write the indicators of a period to a CSV or XLSX file, as the web export does."""
    folder = Path(out).resolve().parent
    if not folder.is_dir():
        raise click.BadParameter(f"le dossier « {folder} » n'existe pas : créez-le ou choisissez-en un autre.",
                                 param_hint="--out")
    args = {k: v for k, v in {"from": start, "to": end, "neighbourhood": neighbourhood, "structure": structure,
                              "theme": theme}.items() if v}
    selection = read_filters(args)
    if not internal:
        selection = for_sharing(selection)
    if not selection.valid:
        raise click.UsageError(" ".join(selection.errors.values()))
    if internal:
        log_export(None, "export_internal", selection, f"{fmt} (ligne de commande)")
    report = report_for(selection, shared=not internal)
    db.session.commit()  # the log of an exact export, and the summaries of newly settled events
    chunks = report_csv(report, selection) if fmt == "csv" else report_xlsx(report, selection)
    with open(out, "wb") as f:
        for chunk in chunks:
            f.write(chunk)
    click.echo(f"Export écrit : {out}")


@click.command("generate-activity")
@click.option("--checkins", default=10000, show_default=True)
@click.option("--events", default=200, show_default=True)
@click.option("--years", default=1, show_default=True)
@click.option("--seed", default=2026, show_default=True)
@with_appcontext
def generate_activity_command(checkins: int, events: int, years: int, seed: int):
    """Add synthetic past events and check-ins over the last years (demos, benchmarks)."""
    from ..demo.generator import generate_activity

    neighbourhoods = db.session.execute(db.select(Neighbourhood)).scalars().all()
    structures = db.session.execute(db.select(Structure)).scalars().all()
    if not neighbourhoods or not structures:
        raise click.ClickException("Il faut des quartiers et des structures : lancez d'abord seed-demo.")
    author = db.session.execute(db.select(User).where(User.role == "coordinator").limit(1)).scalar()
    now = utcnow()

    def progress(n):
        if n % 100_000 == 0:
            click.echo(f"  {n} enregistrements…")

    result = generate_activity(rng=random.Random(seed), start=now - timedelta(days=365 * years),
                               end=now - timedelta(days=1), event_count=events, checkin_count=checkins,
                               neighbourhoods=neighbourhoods, structures=structures, author=author,
                               progress=progress)
    db.session.commit()
    click.echo(f"{result.events} actions, {result.checkins} enregistrements, {result.cards} cartes ajoutés.")
