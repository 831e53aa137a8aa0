"""CSV and XLSX writers over a Report: the same tables as the page, for French spreadsheets.

CSV: semicolon separator, UTF-8 with a byte order mark, decimal comma and dd/mm/yyyy
dates, so a double-click opens it right in Excel or LibreOffice set to French. Every
writer is a generator of chunks, so web responses and the CLI stream the same bytes.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, date

import xlsxwriter
from flask_babel import get_timezone
from sqlalchemy import select

from ..extensions import db
from ..i18n import _
from ..models import CheckIn, Event, Neighbourhood
from .filters import FilterInput
from .indicators import event_ids_query
from .labels import DEFINITIONS, INDICATOR_TITLES, SHEET_NAMES, answer_label
from .suppression import SECONDARY
from .tables import Report
from .voice import definitions as voice_definitions
from .voice import voice_rows

BOM = "\ufeff"
CHUNK = 64 * 1024
# A cell starting with one of these is read as a formula by Excel and LibreOffice (tab and
# carriage return too, which some versions skip before looking for "=").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """Keep a text cell from being run as a formula: prefix it with an apostrophe (OWASP).

    Titles, places, themes and names are typed by staff; an event called "=HYPERLINK(...)"
    must reach the partner's spreadsheet as text. Numbers are left alone.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{month}/{year}"


def percent_text(share) -> str:
    if share is None:
        return ""
    if isinstance(share, str):
        return share
    return f"{share * 100:.1f}".replace(".", ",")


def legend(report: Report) -> list[tuple[str, str]]:
    """Say what the figures are: exact or shared, and what the marks mean."""
    edited = (_("Édité le"), date.today().strftime("%d/%m/%Y"))
    if not report.shared:
        return [edited, (_("Diffusion"), _("Interne : chiffres exacts, à ne pas diffuser aux partenaires."))]
    return [edited,
        (_("Diffusion"), _("Partagée : petits effectifs masqués (règle du secret statistique).")),
        (f"<{report.threshold}", _("effectif inférieur à %(n)s, zéro compris", n=report.threshold)),
        (SECONDARY, _("masqué pour qu'aucun petit effectif ne puisse être retrouvé par différence")),
    ]


def differencing_method(report: Report) -> list[tuple[str, str]]:
    """Say how a shared export resists subtraction of another one (see tables.py)."""
    if not report.shared:
        return []
    return [(_("Méthode"), _(
        "Périodes en mois entiers et finis. Chaque mois est protégé seul, de la même façon dans tous les "
        "exports ; un total sur plusieurs mois n'est donné que si chacun de ses mois l'est. Soustraire deux "
        "exports ne redonne donc aucun petit effectif."))]


def report_rows(report: Report, selection: FilterInput) -> Iterator[list]:
    """Yield the report as one long table: table, month, label, count, share."""
    yield [_("Tableau"), _("Mois"), _("Libellé"), _("Nombre"), _("Part (%)")]
    for label, value in selection.describe() + legend(report) + differencing_method(report):
        yield [_("Sélection"), "", f"{label} : {value}", "", ""]
    everything = _("Toute la période")
    for row in report.headline:
        yield [_("Indicateurs"), everything, row.label, row.value, percent_text(row.share)]
    for table in report.distributions:
        for row in table.rows:
            yield [table.title, everything, row.label, row.value, percent_text(row.share)]
        yield [table.title, everything, "Total", table.total, ""]
    for table in [report.evolution, *report.month_tables]:
        title = table.title if table is report.evolution else f"{table.title} — {_('par mois')}"
        for month, values in table.rows:
            for (_key, label), value in zip(table.columns, values, strict=True):
                yield [title, month_label(month), label, value, ""]
    yield from voice_rows(report)


def csv_chunks(rows: Iterator[list]) -> Iterator[bytes]:
    """Encode rows as French-spreadsheet CSV, in chunks of about 64 KiB; every CSV goes through here."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([spreadsheet_text(value) for value in row])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def report_csv(report: Report, selection: FilterInput) -> Iterator[bytes]:
    return csv_chunks(report_rows(report, selection))


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(" " if c in "[]:*?/\\" else c for c in title)[:31].strip()
    while name in used:
        name = name[:28] + f" {len(used)}"
    used.add(name)
    return name


def report_xlsx(report: Report, selection: FilterInput) -> Iterator[bytes]:
    """Write the workbook (one sheet per breakdown, a definitions sheet) and yield its bytes."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        book = xlsxwriter.Workbook(path, {"constant_memory": True})
        bold = book.add_format({"bold": True})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        used: set[str] = set()
        sheet = book.add_worksheet(_sheet_name(_("Définitions et filtres"), used))
        sheet.set_column(0, 0, 38)
        sheet.set_column(1, 1, 90)
        lines = [(_("Filtres utilisés"), "")] + selection.describe() + [("", "")] + legend(report) + [
            *differencing_method(report), ("", ""), (_("Définitions"), "")] + [
            (str(INDICATOR_TITLES[k]), str(v)) for k, v in DEFINITIONS.items()] + voice_definitions()
        for r, (label, text) in enumerate(lines):
            sheet.write_string(r, 0, label, bold if not text else None)
            sheet.write_string(r, 1, text, wrap)

        sheet = book.add_worksheet(_sheet_name(_("Indicateurs"), used))
        _write_table(sheet, bold, [_("Indicateur"), _("Nombre"), _("Part (%)")],
                     [[row.label, row.value, _pct(row.share)] for row in report.headline])
        for table in report.distributions:
            sheet = book.add_worksheet(_sheet_name(str(SHEET_NAMES[table.key]), used))
            rows = [[row.label, row.value, _pct(row.share)] for row in table.rows] + [["Total", table.total, None]]
            _write_table(sheet, bold, [table.title, _("Nombre"), _("Part des participations (%)")], rows)
        if report.voice is not None:
            sheet = book.add_worksheet(_sheet_name(_("Parole des habitants"), used))
            _write_table(sheet, bold, [_("Tableau : libellé"), _("Nombre"), _("Part (%)")],
                         [[f"{row[0]} : {row[2]}", row[3], _pct(_share_of(row))] for row in voice_rows(report)])
        for table in [report.evolution, *report.month_tables]:
            short = str(SHEET_NAMES[table.key])
            sheet = book.add_worksheet(_sheet_name(short if table is report.evolution else f"{short} par mois", used))
            rows = [[month_label(m), *values] for m, values in table.rows] + [["Total", *table.total]]
            _write_table(sheet, bold, [_("Mois")] + [label for _k, label in table.columns], rows)
        book.close()
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def _share_of(row):
    text = row[4]
    if not text or not text[0].isdigit():
        return text or None
    return float(text.replace(",", ".")) / 100


def _pct(share):
    return round(share * 100, 1) if isinstance(share, float) else share


def _write_table(sheet, bold, header: list[str], rows: list[list]) -> None:
    # constant_memory writes row by row: the header first, then each row in order.
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, len(header), 14)
    for c, text in enumerate(header):
        sheet.write_string(0, c, str(text), bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))


def raw_checkins_rows(selection: FilterInput) -> Iterator[list]:
    """Yield the live check-ins of the selection, one per row: no card code, no card id."""
    yield [_("Action"), _("Date de l'action"), _("Ville"), _("Quartier de l'action"), _("Heure d'enregistrement"),
           _("Canal"), _("Langue"), _("Avec carte"), _("Première carte"), _("Première fois (déclaré)"),
           _("Résidence"), _("Tranche d'âge"), _("Genre"), _("Fréquente une structure"), _("A connu l'action par"),
           _("Enfants à garder"), _("Interprète"), _("Accessibilité"), _("Accompagnants")]
    names = dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name)).all())
    cities = dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.commune)).all())
    query = (
        select(Event.code, Event.starts_at, Event.neighbourhood_id, CheckIn.created_at, CheckIn.channel,
               CheckIn.language, CheckIn.card_id.is_not(None), CheckIn.first_seen, CheckIn.first_time,
               CheckIn.residence, CheckIn.residence_neighbourhood_id, CheckIn.age_band, CheckIn.gender,
               CheckIn.goes_to_structure, CheckIn.heard_from, CheckIn.childcare_children,
               CheckIn.interpreter_language, CheckIn.accessibility, CheckIn.companions)
        .join(Event, Event.id == CheckIn.event_id)
        .where(CheckIn.voided_at.is_(None), CheckIn.event_id.in_(event_ids_query(selection.filters)))
        .order_by(Event.starts_at, CheckIn.created_at)
        .execution_options(yield_per=2000)
    )
    yes, no = _("oui"), _("non")
    zone = get_timezone()
    # Labels are looked up once per answer, not once per row: a raw export has millions.
    label = functools.cache(lambda dim, key: answer_label(dim, key, names))

    def local(value):
        return value.replace(tzinfo=UTC).astimezone(zone)

    for r in db.session.execute(query):
        residence = r.residence
        if residence == "neighbourhood" and r.residence_neighbourhood_id:
            residence = f"n{r.residence_neighbourhood_id}"
        yield [r.code, local(r.starts_at).strftime("%d/%m/%Y"), cities.get(r.neighbourhood_id, ""),
               names.get(r.neighbourhood_id, ""),
               local(r.created_at).strftime("%d/%m/%Y %H:%M"), label("channel", r.channel), r.language,
               yes if r[6] else no, yes if r.first_seen else no,
               label("first_time", r.first_time or "not_asked"), label("residence", residence or "not_asked"),
               *(label(dim, getattr(r, dim) or "not_asked")
                 for dim in ("age_band", "gender", "goes_to_structure", "heard_from")),
               r.childcare_children, label("interpreter_language", r.interpreter_language)
               if r.interpreter_language else "", yes if r.accessibility else no, r.companions]
