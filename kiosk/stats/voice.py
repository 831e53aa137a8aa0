"""Indicators of the residents' voice: feedback on the actions, contributions and their follow-up.

Same selection (the events the filters designate) and the same small-count rule as the other
indicators. Shared outputs suppress each calendar month on its own and show a period figure
only when every month it adds up is shown, as tables.py does, so that subtracting two shared
exports gives back no small count. Definitions: DEFINITIONS below (XLSX definitions sheet).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..i18n import _, _l
from ..models import Event, Neighbourhood, utcnow
from ..voice.models import FINAL_STATUSES, RATINGS, Contribution, Feedback, Topic
from ..voice.ui import CHANNEL_LABELS, RATING_LABELS
from .indicators import Filters, event_ids_query, month_key
from .suppression import SECONDARY, primary_mark, suppress
from .tables import Distribution, Row

WINDOW_DAYS = 30

TITLES = {
    "feedbacks": _l("Avis sur l'action"),
    "feedback_rate": _l("Taux d'avis (avis ÷ participations)"),
    "contributions": _l("Paroles d'habitants (contributions)"),
    "answered": _l("Paroles ayant reçu une première réponse"),
    "answered_30": _l("Paroles répondues en 30 jours au plus"),
    "median_first_answer": _l("Délai médian jusqu'à la première réponse (jours)"),
    "median_done": _l("Délai médian jusqu'à « réalisée » (jours)"),
    "initiatives": _l("Initiatives habitantes"),
    "rating": _l("Avis sur l'action : répartition"),
    "topic": _l("Paroles par sujet"),
    "neighbourhood": _l("Paroles par quartier (lieu de l'action)"),
    "channel": _l("Paroles par canal"),
}
DEFINITIONS = {
    "feedbacks": _l("Avis donnés en un geste après l'enregistrement (tablette, téléphone) ou notés par "
                    "l'animateur pour une personne qui répond à voix haute, aux actions de la sélection ; un "
                    "avis au plus par enregistrement."),
    "feedback_rate": _l("Avis ÷ participations des mêmes actions ; toujours montré avec la répartition des "
                        "avis (bien, moyen, pas bien), jamais une moyenne seule."),
    "contributions": _l("Ce qu'un habitant veut dire sur son quartier, par écrit ou par message vocal, à une "
                        "action de la sélection, ou noté par un animateur ; par sujet, quartier de l'action et "
                        "canal."),
    "answered": _l("Paroles dont le statut a changé au moins une fois après « reçue » (première réponse) ; "
                   "part calculée sur toutes les paroles, une parole jamais répondue compte comme non répondue."),
    "answered_30": _l("Parmi les paroles reçues il y a 30 jours ou plus, part de celles dont la première "
                      "réponse est venue 30 jours au plus après la réception ; une parole sans réponse compte "
                      "comme non répondue, pas comme manquante."),
    "median_first_answer": _l("Médiane, sur toutes les paroles, des jours entre la réception et la première "
                              "réponse ; une parole sans réponse est rangée après toutes les autres (jamais "
                              "ignorée) : si la moitié au moins est sans réponse, la médiane est « non "
                              "atteinte »."),
    "median_done": _l("Médiane des jours entre la réception et le statut « réalisée », sur les paroles qui ne "
                      "sont pas closes en « pas possible » ou « déjà prévue » ; une parole pas encore réalisée "
                      "est rangée après les autres ; « non atteinte » si c'est la moitié au moins."),
    "initiatives": _l("Paroles où l'habitant propose de porter lui-même un projet."),
}
NOT_REACHED = "non atteinte"
HEADLINE_TABLE = _l("Parole des habitants")


@dataclass
class VoiceFigures:
    """Exact counts by local calendar month of the events."""

    feedbacks: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # month -> rating
    topic: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    neighbourhood: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    channel: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    answered: Counter = field(default_factory=Counter)
    initiatives: Counter = field(default_factory=Counter)
    answered_30: Counter = field(default_factory=Counter)
    window_over: Counter = field(default_factory=Counter)  # received WINDOW_DAYS ago or more
    first_answer_days: list[float | None] = field(default_factory=list)  # None: not answered
    done_days: list[float | None] = field(default_factory=list)  # None: not (yet) réalisée
    topic_names: dict[str, str] = field(default_factory=dict)
    neighbourhood_names: dict[str, str] = field(default_factory=dict)

    @property
    def months(self) -> list[str]:
        return sorted(set(self.feedbacks) | set(self.topic))


def _days(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds() / 86400


def compute_voice(filters: Filters, *, now: datetime | None = None) -> VoiceFigures:
    """Count the feedbacks and contributions of the events the filters select."""
    now = now or utcnow()
    events = event_ids_query(filters).subquery()
    figures = VoiceFigures()
    for starts_at, rating in db.session.execute(
            select(Event.starts_at, Feedback.rating).join(Event, Event.id == Feedback.event_id)
            .where(Feedback.event_id.in_(select(events.c.id)))):
        figures.feedbacks[month_key(starts_at)][rating] += 1
    rows = db.session.execute(
        select(Event.starts_at, Event.neighbourhood_id, Contribution.topic_id, Contribution.channel,
               Contribution.initiative, Contribution.created_at, Contribution.first_answer_at,
               Contribution.done_at, Contribution.status)
        .join(Event, Event.id == Contribution.event_id).where(Contribution.event_id.in_(select(events.c.id))))
    for r in rows:
        month = month_key(r.starts_at)
        figures.topic[month][str(r.topic_id)] += 1
        figures.neighbourhood[month][str(r.neighbourhood_id)] += 1
        figures.channel[month][r.channel] += 1
        figures.initiatives[month] += int(bool(r.initiative))
        first = _days(r.created_at, r.first_answer_at)
        figures.answered[month] += int(first is not None)
        if r.created_at <= now - timedelta(days=WINDOW_DAYS):
            figures.window_over[month] += 1
            figures.answered_30[month] += int(first is not None and first <= WINDOW_DAYS)
        figures.first_answer_days.append(first)
        if r.status not in FINAL_STATUSES or r.status == "done":
            figures.done_days.append(_days(r.created_at, r.done_at))
    figures.topic_names = {str(i): n for i, n in db.session.execute(select(Topic.id, Topic.name))}
    figures.neighbourhood_names = {str(i): n for i, n in
                                   db.session.execute(select(Neighbourhood.id, Neighbourhood.name))}
    return figures


def median_days(values: list[float | None]) -> float | str | None:
    """Median where None ("not yet") ranks after every number; NOT_REACHED when it is the median."""
    if not values:
        return None
    ordered = sorted(values, key=lambda v: (v is None, v or 0))
    n = len(ordered)
    middle = ordered[(n - 1) // 2: n // 2 + 1]
    if any(v is None for v in middle):
        return NOT_REACHED
    return round(statistics.mean(middle), 1)


@dataclass
class VoiceReport:
    headline: list[Row]
    distributions: list[Distribution]


def _period(monthly: dict[str, dict[str, int]], keys: list[str], threshold: int, shared: bool):
    """Return (cells by key, total) for the period: exact, or month-by-month suppressed."""
    exact = {k: sum(m.get(k, 0) for m in monthly.values()) for k in keys}
    exact_total = sum(exact.values())
    if not shared:
        return exact, exact_total
    if not monthly:
        shown = suppress(dict.fromkeys(keys, 0) or {"": 0}, threshold)
        return {k: shown.cells.get(k, primary_mark(threshold)) for k in keys}, shown.total
    per_month = [suppress({k: m.get(k, 0) for k in keys}, threshold) for m in monthly.values()]
    hidden = primary_mark(threshold)

    def total(values, exact_value):
        if all(isinstance(v, int) for v in values):
            return sum(values)
        return hidden if exact_value < threshold else SECONDARY

    cells = {k: total([s.cells[k] for s in per_month], exact[k]) for k in keys}
    return cells, total([s.total for s in per_month], exact_total)


def _share(count, base):
    if isinstance(count, str) or isinstance(base, str):
        return count if isinstance(count, str) else base
    return count / base if base else None


def layout_voice(figures: VoiceFigures, participations: int | str, *, shared: bool, threshold: int) -> VoiceReport:
    """Lay the voice indicators out as headline rows and distributions, exact or shared.

    :param participations: as the report shows it (hidden there, the feedback rate is hidden too).
    """
    months = figures.months
    ratings, ratings_total = _period({m: figures.feedbacks.get(m, {}) for m in months}, list(RATINGS),
                                     threshold, shared)
    topic_keys = sorted({k for m in figures.topic.values() for k in m}, key=lambda k: figures.topic_names.get(k, k))
    topics, contributions = _period(figures.topic, topic_keys, threshold, shared)
    nb_keys = sorted({k for m in figures.neighbourhood.values() for k in m},
                     key=lambda k: figures.neighbourhood_names.get(k, k))
    nbs, _t = _period(figures.neighbourhood, nb_keys, threshold, shared)
    channels, _t = _period(figures.channel, ["kiosk", "phone", "animateur"], threshold, shared)

    def single(counter: Counter):
        cells, _total = _period({m: {"v": counter.get(m, 0)} for m in months}, ["v"], threshold, shared)
        return cells["v"]

    answered, initiatives = single(figures.answered), single(figures.initiatives)
    answered_30, window_over = single(figures.answered_30), single(figures.window_over)
    first_median = median_days(figures.first_answer_days)
    done_median = median_days(figures.done_days)
    if shared and (isinstance(contributions, str) or contributions < threshold):
        first_median = done_median = SECONDARY  # a median of a few is a few persons' delays
    headline = [
        Row("feedbacks", str(TITLES["feedbacks"]), ratings_total),
        Row("feedback_rate", str(TITLES["feedback_rate"]), ratings_total, _share(ratings_total, participations)),
        Row("contributions", str(TITLES["contributions"]), contributions),
        Row("answered", str(TITLES["answered"]), answered, _share(answered, contributions)),
        Row("answered_30", str(TITLES["answered_30"]), answered_30, _share(answered_30, window_over)),
        Row("median_first_answer", str(TITLES["median_first_answer"]), first_median),
        Row("median_done", str(TITLES["median_done"]), done_median),
        Row("initiatives", str(TITLES["initiatives"]), initiatives, _share(initiatives, contributions)),
    ]

    def dist(key, cells, total, label):
        rows = [Row(k, label(k), v, _share(v, total) if not isinstance(total, str) else None)
                for k, v in cells.items()]
        return Distribution(f"voice_{key}", str(TITLES[key]), rows, total)

    distributions = [
        dist("rating", ratings, ratings_total, lambda k: str(RATING_LABELS[k])),
        dist("topic", topics, contributions, lambda k: figures.topic_names.get(k, k)),
        dist("neighbourhood", nbs, contributions, lambda k: figures.neighbourhood_names.get(k, k)),
        dist("channel", channels, contributions, lambda k: str(CHANNEL_LABELS[k])),
    ]
    # A table without a row (no contribution yet) says nothing, and its total would be a known zero.
    return VoiceReport(headline, [d for d in distributions if d.rows])


def voice_rows(report) -> list[list]:
    """The voice tables as rows of the long CSV: table, month, label, count, share."""
    from .exports import percent_text

    voice = getattr(report, "voice", None)
    if voice is None:
        return []
    everything = _("Toute la période")
    # The headline figures are not a line adding up to a total; each distribution is.
    rows = [[str(HEADLINE_TABLE), everything, row.label, row.value, percent_text(row.share)]
            for row in voice.headline]
    for table in voice.distributions:
        rows += [[table.title, everything, row.label, row.value, percent_text(row.share)] for row in table.rows]
        rows.append([table.title, everything, "Total", table.total, ""])
    return rows


def definitions() -> list[tuple[str, str]]:
    return [(str(TITLES[k]), str(v)) for k, v in DEFINITIONS.items()]
