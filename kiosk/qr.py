"""QR codes drawn on the server as inline SVG: crisp at any print size, no image library."""

from __future__ import annotations

import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage

from .codes import card_qr_payload, display_card_code

# Four modules of quiet zone are part of the drawing, so a scanner finds the code even on
# a busy poster; error correction M survives a creased or slightly dirty print.
BORDER = 4


def qr_code(data: str) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=BORDER,
                       box_size=10, image_factory=SvgPathImage)
    qr.add_data(data)
    qr.make(fit=True)
    return qr


def qr_matrix(data: str) -> list[list[bool]]:
    """Return the QR modules of the data, quiet zone included (tests film it for the camera)."""
    return qr_code(data).get_matrix()


def qr_svg(data: str, *, label: str, css_class: str = "qr") -> Markup:
    """Return an inline SVG QR code of ``data`` that scales with its CSS box."""
    qr = qr_code(data)
    image = qr.make_image()  # draws one <path>; its "d" is all we keep
    size = qr.modules_count + 2 * BORDER
    # Our own wrapper: no fixed size in mm, no id (a sheet holds ten codes), a white ground.
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="{cls}" role="img"'
        ' aria-label="{label}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        '<path fill="#000" d="{d}"/></svg>'
    ).format(size=size, cls=css_class, label=label, d=image.path.get("d"))


def card_qr_svg(code: str, *, css_class: str = "qr") -> Markup:
    """Return the QR of a card: our prefix and the code, never a URL or anything personal."""
    return qr_svg(card_qr_payload(code), label=display_card_code(code), css_class=css_class)
