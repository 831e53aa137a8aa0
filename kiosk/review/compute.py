"""Compute the annual review: each figure of the sheet for a year and the year before."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Event, Neighbourhood, Structure, utcnow
from ..stats.conversion import compute_conversion
from ..stats.exports import month_label
from ..stats.indicators import Filters, compute
from ..stats.profiles import cached_visitor_counts
from ..stats.suppression import primary_mark, suppress
from ..stats.voice import compute_voice
from ..training.services import training_figures
from . import cache
from .definitions import NOT_COUNTS, SHEET


@dataclass
class Line:
    key: str
    label: str
    definition: str
    value: object
    previous: object


@dataclass
class SheetLine:
    section: str
    title: str
    lines: list[Line]


@dataclass
class Review:
    year: int
    neighbourhood_id: int | None
    shared: bool
    sheet: list[SheetLine] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    month_labels: list[str] = field(default_factory=list)
    monthly: dict[str, list] = field(default_factory=dict)  # series name -> values by month, for charts
    # Internal version only: conversions by structure, format, neighbourhood and action of the year,
    # each a list of (name, cohort cards, conversions within 90 days).
    breakdowns: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)


def year_figures(year: int, neighbourhood_id: int | None, *, now=None) -> dict:
    """Every figure of the review for one calendar year, exact; from the cache while it holds."""
    now = now or utcnow()
    filters = Filters(start=date(year, 1, 1), end=date(year, 12, 31), neighbourhood_id=neighbourhood_id)
    # A settled year is kept for good; a moving one while its rows are the same (cache.py).
    stamp = None if cache.settled(year, now) else cache.data_stamp()
    recorded = cache.load(year, neighbourhood_id, now=now, stamp=stamp)
    if recorded is None:
        recorded = _recorded_figures(filters, now, stamp)
        changes_at = recorded.pop("_changes_at")
        cache.store(year, neighbourhood_id, recorded, now=now, stamp=stamp,
                    expires_at=changes_at if stamp is not None else None)
    return {**recorded, **_live_figures(filters, recorded["participations"], now)}


def _recorded_figures(filters: Filters, now, stamp: dict | None = None) -> dict:
    """The figures made of check-ins, visits and orientations: fixed once the year is settled."""
    ind = compute(filters, detail=False)  # its totals: no distributions, no returns
    conversion = compute_conversion(filters, now=now, stamp=stamp)
    profiles = cached_visitor_counts(filters.start, filters.end, neighbourhood_id=filters.neighbourhood_id, now=now)
    visitors = met_outside = card_visitors = 0
    monthly_visitors: dict[str, int] = {}
    for months in profiles.values():
        for month, profile in months.items():
            visitors += profile.visitors
            met_outside += profile.met_outside
            card_visitors += profile.card_visitors
            monthly_visitors[month] = monthly_visitors.get(month, 0) + profile.visitors
    windows = conversion.windows
    return {
        "actions": ind.actions, "actions_with_residents": ind.actions_with_residents,
        "participations": ind.participations, "reach": ind.reach, "distinct_cards": ind.distinct_cards,
        "newcomers_declared": ind.newcomers_declared, "newcomers_first_seen": ind.newcomers_first_seen,
        "far_from_structures": ind.far_from_structures,
        "conversions_30": windows[30].cards, "conversions_90": windows[90].cards,
        "conversions_180": windows[180].cards, "conversions_oriented": windows[180].oriented,
        "conversions_without": windows[180].without_orientation, "median_delay": conversion.median_delay_days,
        "followed_pairs": conversion.followed_pairs, "oriented_pairs": conversion.oriented_pairs,
        "follow_through": _percent(conversion.follow_through),
        "visitors": visitors, "met_outside": met_outside, "card_visitors": card_visitors,
        "met_outside_share": _percent(met_outside / card_visitors if card_visitors else None),
        "_changes_at": conversion.follow_through_changes_at,
        "_by": {name: {key: list(counts) for key, counts in keys.items()} for name, keys in conversion.by.items()},
        "_monthly": {"participations": {m: f.participations for m, f in ind.months.items()},
                     "visitors": monthly_visitors},
    }


def _live_figures(filters: Filters, participations: int, now) -> dict:
    """Training and the residents' voice: recorded late or answered for months, and cheap: never cached."""
    training = training_figures(filters.start, filters.end)
    voice = compute_voice(filters, now=now)
    feedbacks = sum(sum(ratings.values()) for ratings in voice.feedbacks.values())
    return {
        "training_sessions": training.sessions, "training_hours": round(training.hours, 1),
        "people_trained": training.people_trained, "network_meetings": training.network_meetings,
        "structures_trained": training.structures, "person_hours": round(training.person_hours, 1),
        "feedbacks": feedbacks,
        "feedback_rate": _percent(feedbacks / participations if participations else None),
        "contributions": sum(sum(topics.values()) for topics in voice.topic.values()),
        "contributions_answered": sum(voice.answered.values()),
        "contributions_done": sum(days is not None for days in voice.done_days),
    }


def _percent(share: float | None) -> float | None:
    return round(share * 100, 1) if share is not None else None


def _shared(figures: dict, threshold: int) -> dict:
    """Apply the small-count rule to one year's figures (a shared review)."""
    out = dict(figures)
    mark = primary_mark(threshold)
    for key, value in figures.items():
        if key.startswith("_") or key in NOT_COUNTS or not isinstance(value, int):
            continue
        if value < threshold:
            out[key] = mark
    # With and without orientation add up to the pairs converted: hide them together (secondary rule).
    pair = suppress({"with": figures["conversions_oriented"], "without": figures["conversions_without"]}, threshold)
    out["conversions_oriented"], out["conversions_without"] = pair.cells["with"], pair.cells["without"]
    # A rate whose numerator or denominator is small says too much: hidden.
    if figures["oriented_pairs"] < threshold or figures["followed_pairs"] < threshold:
        out["follow_through"] = mark
    if figures["card_visitors"] < threshold or figures["met_outside"] < threshold:
        out["met_outside_share"] = mark
    if figures["feedbacks"] < threshold or figures["participations"] < threshold:
        out["feedback_rate"] = mark
    if figures["conversions_180"] < threshold:
        out["median_delay"] = mark
    return out


def build_review(year: int, neighbourhood_id: int | None = None, *, shared: bool = False, threshold: int = 11,
                 now=None) -> Review:
    """Compute the review of a year beside the year before, each figure with its definition."""
    current = year_figures(year, neighbourhood_id, now=now)
    previous = year_figures(year - 1, neighbourhood_id, now=now)
    if shared:
        current, previous = _shared(current, threshold), _shared(previous, threshold)
    review = Review(year=year, neighbourhood_id=neighbourhood_id, shared=shared)
    for section, title, items in SHEET:
        review.sheet.append(SheetLine(section, str(title), [
            Line(key, str(label), str(definition), current[key], previous[key]) for key, label, definition in items]))
    review.months = [f"{year}-{m:02d}" for m in range(1, 13)]
    review.month_labels = [month_label(m) for m in review.months]
    monthly = current["_monthly"]
    review.monthly = {name: [values.get(m, 0) for m in review.months] for name, values in monthly.items()}
    if not shared:
        review.breakdowns = named_breakdowns(current["_by"])
    if shared:
        mark = primary_mark(threshold)
        review.monthly = {name: [v if v >= threshold else mark for v in values]
                          for name, values in review.monthly.items()}
    return review


def chart_rows(group: SheetLine, year: int) -> list[tuple[str, int | str]]:
    """Bars of one sheet line: each measure, the year before then the year (hours and rates rounded)."""
    rows = []
    for line in group.lines:
        for label, value in ((year - 1, line.previous), (year, line.value)):
            if isinstance(value, float):
                value = round(value)
            rows.append((f"{line.label[:22]} {label}", value if value is not None else "—"))
    return rows


def named_breakdowns(by: dict) -> dict[str, list[tuple[str, int, int]]]:
    """Name the keys of the conversion breakdowns; most cohort cards first (actions: the 20 first)."""
    names = {
        "structure": dict(db.session.execute(select(Structure.id, Structure.name)).all()),
        "neighbourhood": dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name)).all()),
        "event": dict(db.session.execute(select(Event.id, Event.title).where(Event.id.in_(list(by.get("event", {})))))
                      .all()) if by.get("event") else {},
    }
    out = {}
    for name in ("structure", "format", "neighbourhood", "event"):
        rows = [(str(names.get(name, {}).get(key, key) or "—"), cohort, converted)
                for key, (cohort, converted) in by.get(name, {}).items()]
        rows.sort(key=lambda row: (-row[1], -row[2], row[0]))
        out[name] = rows[:20] if name == "event" else rows
    return out
