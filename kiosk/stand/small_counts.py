"""The small-count rule applied to the report's tables (the shared version)."""

from __future__ import annotations

from flask import current_app

HIDDEN = "<{threshold}"


def _threshold() -> int:
    return int(current_app.config["SUPPRESSION_THRESHOLD"])


def protect_tables(tables) -> None:
    """Fill each row's ``shown`` with its figure or ``<11``, with secondary suppression."""
    threshold = _threshold()
    hidden = HIDDEN.format(threshold=threshold)
    for table in tables:
        counts = {row.key: row.count for row in table.rows}
        secret = suppress_partition(counts, table.total, threshold) if table.total is not None \
            else {k for k, v in counts.items() if 0 < v < threshold}
        if table.key == "indicators" and secret & {"participations", "tallies"}:
            secret.add("reach")  # reach = participations + tallies
        for row in table.rows:
            row.shown = hidden if row.key in secret else str(row.count)
        if table.total is not None:
            table.total_shown = hidden if 0 < table.total < threshold else str(table.total)


def suppress_partition(counts: dict[str, int], total: int, threshold: int) -> set[str]:
    """Keys to hide in rows that add up to a shown total: small ones, then one more if needed."""
    secret = {k for k, v in counts.items() if 0 < v < threshold}
    if len(secret) == 1 and total >= threshold:
        others = sorted((v, k) for k, v in counts.items() if k not in secret and v > 0)
        if others:
            secret.add(others[0][1])
    return secret
