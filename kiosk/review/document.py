"""The annual review as a word-processor document (DOCX) for the steering committee.

The same figures as the page and the workbook, from the same Review (shared or internal,
small counts already hidden by build_review): each line of the sheet with its measures, the
year's figure, the year before's, the definition, and a bar chart (a PNG: see png_chart.py).
"""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Cm, Pt

from ..i18n import _
from .compute import Review
from .definitions import SECTIONS
from .png_chart import paired_bars


def figure_text(value) -> str:
    """Show a figure as the page does: a dash (none), a number with thin spaces, or a mark."""
    if value is None:
        return "—"
    if isinstance(value, int | float):
        return f"{value:,}".replace(",", "\u202f")
    return str(value)


def _table(doc, header: list[str], rows: list[list[str]], widths: list[float] | None = None):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    return table


def review_docx(review: Review, *, territory: str | None = None) -> bytes:
    """Write the whole review as a DOCX document; return its bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(1.8)
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(_("Bilan annuel de la fiche T1.3 « Aller vers les habitants »") + f" · {review.year}", level=0)
    doc.add_paragraph(_("Contrat de ville de Tours Métropole Val de Loire") + " · "
                      + (territory or _("Tous les quartiers")))
    doc.add_paragraph(_("Version partagée : les effectifs inférieurs au seuil sont notés « <11 ».") if review.shared
                      else _("Version interne : chiffres exacts, à ne pas diffuser."))
    header = [_("Mesure"), str(review.year), str(review.year - 1), _("Définition")]
    for key, title in SECTIONS.items():
        doc.add_heading(str(title), level=1)
        for group in (g for g in review.sheet if g.section == key):
            doc.add_heading(group.title, level=2)
            _table(doc, header, [[line.label, figure_text(line.value),
                                  figure_text(line.previous), line.definition]
                                 for line in group.lines], [4.5, 2.2, 2.2, 8.5])
            chart = paired_bars([(line.previous, line.value) for line in group.lines])
            doc.add_picture(io.BytesIO(chart), width=Cm(15))
            doc.add_paragraph().add_run(_(
                "Graphique : une paire de barres par mesure, dans l'ordre du tableau ; barre hachurée : "
                "%(previous)s, barre pleine : %(year)s.", previous=review.year - 1, year=review.year)).italic = True
    doc.add_heading(_("Mois par mois"), level=1)
    _table(doc, [_("Mois"), _("Participations"), _("Personnes accueillies dans les structures")],
           [[label, figure_text(participations), figure_text(visitors)] for label, participations, visitors in zip(
               review.month_labels, review.monthly["participations"], review.monthly["visitors"], strict=True)])
    if review.breakdowns:
        doc.add_heading(_("Nouvelles participations dans les structures, en détail (version interne)"), level=1)
        for name, title in (("structure", _("Par structure d'accueil")),
                            ("format", _("Par format (thème de l'action)")),
                            ("neighbourhood", _("Par quartier de l'action")),
                            ("event", _("Par action (les 20 premières)"))):
            doc.add_heading(title, level=2)
            # A structure is where cards came, not where they were met: it has no cohort of its own.
            counts = (lambda cohort, converted: [figure_text(converted)]) if name == "structure" else \
                (lambda cohort, converted: [figure_text(cohort), figure_text(converted)])
            header = [title, *([] if name == "structure" else [_("Cartes rencontrées")]), _("Venues sous 90 jours")]
            _table(doc, header, [[label, *counts(cohort, converted)]
                                 for label, cohort, converted in review.breakdowns[name]]
                   or [["—"] + [""] * (len(header) - 1)])
    doc.add_heading(_("Petits effectifs"), level=1)
    doc.add_paragraph(_("Version partagée : un effectif inférieur au seuil est affiché « <11 », et un taux n'est "
                        "montré que si son numérateur et son dénominateur le sont.") if review.shared
                      else _("Version interne : chiffres exacts."))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
