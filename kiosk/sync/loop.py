"""The stand's sync running by itself: every SYNC_INTERVAL_SECONDS, with backoff while it fails."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from . import client

MAX_DELAY_SECONDS = 300
log = logging.getLogger(__name__)


def run(app: Flask, stop: threading.Event) -> None:
    """Sync until ``stop`` is set; a failure doubles the wait (up to 5 minutes), a success resets it."""
    interval = app.config["SYNC_INTERVAL_SECONDS"]
    delay = 0.0
    while not stop.wait(delay):
        with app.app_context():
            if client.credentials() is None:  # not enrolled (yet): look again later
                delay = interval
                continue
            try:
                client.sync_once()
            except client.SyncFailed:
                delay = min(max(delay, interval) * 2, MAX_DELAY_SECONDS)
            except Exception:  # a bug must not stop the stand; it is logged and retried later
                log.exception("sync failed")
                delay = min(max(delay, interval) * 2, MAX_DELAY_SECONDS)
            else:
                delay = interval


def start(app: Flask) -> threading.Event:
    """Start the sync thread of a stand; return the event that stops it."""
    stop = threading.Event()
    threading.Thread(target=run, args=(app, stop), name="hlm-sync", daemon=True).start()
    return stop
