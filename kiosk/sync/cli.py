"""`flask stand enrol|sync|status` on a stand, `flask devices list|create|revoke` on the central server."""

from __future__ import annotations

import uuid as uuid_module

import click
from flask.cli import AppGroup

from ..extensions import db
from ..models import Structure
from . import client, devices

stand_cli = AppGroup("stand", help="Ce stand et le serveur central : inscription, synchronisation.")
devices_cli = AppGroup("devices", help="Les stands inscrits sur ce serveur central.")


@stand_cli.command("enrol")
@click.argument("central_url")
@click.argument("code")
def enrol(central_url: str, code: str) -> None:
    """Enrol this stand on the central server with a one-time code."""
    try:
        saved = client.enrol(central_url, code)
    except client.SyncFailed as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Stand inscrit : {saved['name']} (appareil {saved['device']}) sur {saved['central_url']}.")


@stand_cli.command("sync")
def sync() -> None:
    """Push what waits in the outbox, then pull what changed, once."""
    try:
        report = client.sync_once()
    except client.SyncFailed as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Synchronisé : {report.pushed} envoyé(s), {report.pulled} reçu(s).")


@stand_cli.command("status")
def status() -> None:
    """Say whether this stand is enrolled, its backlog, its last sync and error."""
    found = client.status()
    if not found["enrolled"]:
        click.echo("Stand non inscrit.")
    else:
        click.echo(f"Inscrit sur {found['central_url']} ({found['name']}).")
    click.echo(f"En attente d'envoi : {found['backlog']}")
    click.echo(f"Dernière synchronisation réussie : {found['last_success'] or 'jamais'}")
    if found["last_error"]:
        click.echo(f"Dernière erreur : {found['last_error']}")


@devices_cli.command("list")
def list_devices() -> None:
    """List the stand devices with their last contact, backlog and clock offset."""
    for device in devices.list_devices():
        state = "révoqué" if device.revoked_at else ("inscrit" if device.token_hash else "en attente")
        click.echo(f"{device.uuid}  {device.name}  [{device.structure.name}]  {state}  "
                   f"contact={device.last_contact_at or '—'}  attente={device.backlog}  "
                   f"décalage={device.clock_offset_seconds if device.clock_offset_seconds is not None else '—'} s")


@devices_cli.command("create")
@click.option("--name", required=True)
@click.option("--structure", "structure_name", required=True, help="Nom exact de la structure.")
def create(name: str, structure_name: str) -> None:
    """Create a stand device and print its one-time enrolment code."""
    structure = db.session.execute(db.select(Structure).where(Structure.name == structure_name)).scalar()
    if structure is None:
        raise click.ClickException(f"Structure inconnue : {structure_name}")
    device, code = devices.create_device(name, structure)
    db.session.commit()
    click.echo(f"Appareil {device.uuid} créé. Code d'inscription (24 h, une fois) : {code}")


@devices_cli.command("revoke")
@click.argument("device_uuid")
def revoke(device_uuid: str) -> None:
    """Revoke a device: its token stops working at once."""
    try:
        device = devices.device_by_uuid(uuid_module.UUID(device_uuid))
    except ValueError:
        device = None
    if device is None:
        raise click.ClickException("Appareil inconnu.")
    devices.revoke(device)
    db.session.commit()
    click.echo(f"Appareil {device.name} révoqué.")
