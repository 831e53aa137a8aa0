"""Decode QR codes with zbar (pyzbar, Debian's libzbar0), from our SVG or from a screenshot."""

import re
import struct
import zlib

from pyzbar.pyzbar import ZBarSymbol, decode

# kiosk.qr draws each horizontal run of dark modules as "M<x> <y>h<width>v1h-<width>z".
RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z")


def decode_grey(pixels: bytes, width: int, height: int) -> list[str]:
    return [symbol.data.decode() for symbol in decode((pixels, width, height), symbols=[ZBarSymbol.QRCODE])]


def decode_svg(svg: str, scale: int = 6) -> list[str]:
    """Draw the modules of one of our SVG codes on a white bitmap, then let zbar read it."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    side = size * scale
    grid = bytearray(b"\xff" * side * side)
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    assert re.fullmatch(f"(?:{RUN.pattern})+", path), "a path this rasteriser cannot draw"
    for x0, y0, width, back in RUN.findall(path):
        x0, y0, width = int(x0), int(y0), int(width)
        assert back == str(width)
        for y in range(y0 * scale, (y0 + 1) * scale):
            grid[y * side + x0 * scale: y * side + (x0 + width) * scale] = b"\x00" * (width * scale)
    return decode_grey(bytes(grid), side, side)


def png_to_grey(png: bytes) -> tuple[bytes, int, int]:
    """Read an 8-bit RGB(A) PNG, such as Chromium's screenshots, into grey pixels."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], None
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", data)
        elif kind == b"IDAT":
            chunks.append(data)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    grey = bytearray()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predictor) & 0xFF
        grey.extend((line[i] * 299 + line[i + 1] * 587 + line[i + 2] * 114) // 1000 for i in range(0, stride, channels))
        previous = line
    return bytes(grey), width, height


def decode_png(png: bytes) -> list[str]:
    return decode_grey(*png_to_grey(png))
