"""Bar charts as PNG images, for the review's word-processor document.

A document cannot carry the page's SVG charts, and no imaging library is installed (qrcode
draws its SVG itself): the few pixels a bar chart needs are written here with zlib. Like the
SVG charts, nothing relies on colour: the year before is a hatched bar, the year a solid one,
each with its value written at its end (a 3×5 pixel font, digits and the few signs values use).
"""

from __future__ import annotations

import struct
import zlib

# 3×5 glyphs, one string of 15 cells per sign, read row by row ("#" = ink).
GLYPHS = {
    "0": "###" "#.#" "#.#" "#.#" "###", "1": ".#." "##." ".#." ".#." "###",
    "2": "###" "..#" "###" "#.." "###", "3": "###" "..#" ".##" "..#" "###",
    "4": "#.#" "#.#" "###" "..#" "..#", "5": "###" "#.." "###" "..#" "###",
    "6": "###" "#.." "###" "#.#" "###", "7": "###" "..#" ".#." ".#." ".#.",
    "8": "###" "#.#" "###" "#.#" "###", "9": "###" "#.#" "###" "..#" "###",
    "<": "..#" ".#." "#.." ".#." "..#", ".": "..." "..." "..." "..." ".#.",
    "-": "..." "..." "###" "..." "...", " ": "..." "..." "..." "..." "...",
}
SCALE = 3  # pixels per font cell
INK = (0x1A, 0x1A, 0x1A)
BAR = (0x0B, 0x5C, 0x8A)
HATCH = (0xCF, 0xE3, 0xF0)
WHITE = (0xFF, 0xFF, 0xFF)


class Canvas:
    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.pixels = [bytearray(WHITE * width) for _ in range(height)]

    def rect(self, x: int, y: int, w: int, h: int, colour, *, hatched: bool = False, outline: bool = True) -> None:
        if not outline:
            for row in range(max(0, y), min(self.height, y + h)):
                self.pixels[row][x * 3:(x + w) * 3] = bytes(colour) * w
            return
        x0, x1 = max(0, x), min(self.width, x + w)
        if x1 <= x0:
            return
        for row in range(max(0, y), min(self.height, y + h)):
            if row in (y, y + h - 1):
                segment = bytes(BAR) * (x1 - x0)
            else:
                segment = b"".join(bytes(BAR if col in (x, x + w - 1) or (hatched and (col + row) % 6 < 2)
                                         else colour) for col in range(x0, x1))
            self.pixels[row][x0 * 3:x1 * 3] = segment

    def text(self, x: int, y: int, text: str) -> int:
        """Write text from (x, y), top left; return the x after it. Unknown signs become a dash."""
        for sign in text:
            glyph = GLYPHS.get(sign, GLYPHS["-"])
            for cell, ink in enumerate(glyph):
                if ink == "#":
                    self.rect(x + (cell % 3) * SCALE, y + (cell // 3) * SCALE, SCALE, SCALE, INK, outline=False)
            x += 4 * SCALE
        return x

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(line) for line in self.pixels)

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + \
            chunk(b"IEND", b"")


def value_text(value) -> str:
    if isinstance(value, float):
        value = round(value)
    return str(value) if isinstance(value, int | str) else "-"


def paired_bars(pairs: list[tuple[object, object]], *, width: int = 720) -> bytes:
    """Draw, for each measure in order, its number, then a hatched bar (the year before) over a solid
    one (the year), each followed by its value; a hidden or missing value gets its text and no bar."""
    bar, gap, left, right = 19, 14, 10 + 3 * 4 * SCALE, 10 * 4 * SCALE
    numbers = [round(v) for pair in pairs for v in pair if isinstance(v, int | float)]
    top = max(numbers, default=0) or 1
    span = width - left - right
    canvas = Canvas(width, max(1, len(pairs)) * (2 * bar + gap) + gap)
    for index, (previous, value) in enumerate(pairs):
        y = gap + index * (2 * bar + gap)
        canvas.text(6, y + bar - 2 * SCALE - 1, str(index + 1))
        for offset, figure, hatched in ((0, previous, True), (bar, value, False)):
            length = 0
            if isinstance(figure, int | float) and round(figure) > 0:
                length = max(2, round(span * round(figure) / top))
                canvas.rect(left, y + offset, length, bar - 2, HATCH if hatched else BAR, hatched=hatched)
            canvas.text(left + length + 6, y + offset + 1, value_text(figure))
    return canvas.png()
