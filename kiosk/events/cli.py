import click
from flask.cli import AppGroup

from ..extensions import db
from .services import close_finished_events

events_group = AppGroup("events", help="Outreach events.")


@events_group.command("close-finished")
def close_finished():
    """Close the open events whose check-in window is over (run it from cron, e.g. hourly)."""
    closed = close_finished_events()
    db.session.commit()
    for event in closed:
        click.echo(f"{event.code} « {event.title} » clôturée à {event.closed_at:%d/%m/%Y %H:%M} UTC.")
    click.echo(f"{len(closed)} action(s) clôturée(s).")
