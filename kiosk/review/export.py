"""The annual review as a workbook: the review sheet and a definitions sheet."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import xlsxwriter

from ..i18n import _
from ..stats.exports import month_label, spreadsheet_text
from .compute import Review
from .definitions import SECTIONS


def review_xlsx(review: Review) -> Iterator[bytes]:
    """Write the review and its definitions; yield the workbook's bytes."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        book = xlsxwriter.Workbook(path)
        bold = book.add_format({"bold": True})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        sheet = book.add_worksheet(_("Bilan T1.3 %(year)s", year=review.year)[:31])
        sheet.set_column(0, 1, 40)
        sheet.set_column(2, 4, 16)
        header = [_("Type"), _("Indicateur de la fiche"), _("Mesure"), str(review.year), str(review.year - 1)]
        for c, text in enumerate(header):
            sheet.write_string(0, c, text, bold)
        r = 1
        for group in review.sheet:
            for line in group.lines:
                sheet.write_string(r, 0, str(SECTIONS[group.section]))
                sheet.write_string(r, 1, group.title)
                sheet.write_string(r, 2, line.label)
                for c, value in ((3, line.value), (4, line.previous)):
                    _cell(sheet, r, c, value)
                r += 1
        sheet = book.add_worksheet(_("Par mois")[:31])
        sheet.write_row(0, 0, [_("Mois"), _("Participations"), _("Personnes accueillies")], bold)
        for i, month in enumerate(review.months, start=1):
            sheet.write_string(i, 0, month_label(month))
            _cell(sheet, i, 1, review.monthly["participations"][i - 1])
            _cell(sheet, i, 2, review.monthly["visitors"][i - 1])
        sheet = book.add_worksheet(_("Définitions")[:31])
        sheet.set_column(0, 0, 50)
        sheet.set_column(1, 1, 100)
        sheet.write_row(0, 0, [_("Mesure"), _("Définition")], bold)
        r = 1
        for group in review.sheet:
            for line in group.lines:
                sheet.write_string(r, 0, line.label)
                sheet.write_string(r, 1, line.definition, wrap)
                r += 1
        sheet.write_string(r + 1, 0, _("Petits effectifs"), bold)
        sheet.write_string(r + 1, 1, _("Version partagée : un effectif inférieur au seuil est affiché « <11 », "
                                       "et un taux n'est montré que si son numérateur et son dénominateur le "
                                       "sont.") if review.shared else _("Version interne : chiffres exacts."), wrap)
        book.close()
        with open(path, "rb") as f:
            while chunk := f.read(65536):
                yield chunk
    finally:
        os.unlink(path)


def _cell(sheet, r, c, value):
    if value is None:
        sheet.write_string(r, c, "—")
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value)
    else:
        sheet.write_string(r, c, spreadsheet_text(str(value)))
