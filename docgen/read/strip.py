"""Pieces of a read page read again, all in one Tesseract call (SPEC §12, §16).

Two readers want small pieces of a page read on their own after the page is read: the doubtful words
(`docgen.read.reread`) and the ink no word covers (`docgen.read.missed`). Each Tesseract call costs a
process start-up (~0.1 CPU-s) before it reads anything, so both put their pieces on one `Strip`: the pieces
are stacked one under another on a white strip, the strip is read once as a block of lines (`--psm 6`), and
every word read goes back to the piece (slot) whose band it is in, in that piece's own pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import Image

from docgen.read.tesseract import Word, read_words


@dataclass(frozen=True)
class Slot:
    """Where a piece went on the strip: its top and height in the strip's pixels."""

    top: int
    height: int


@dataclass
class Strip:
    """Pieces to read in one call. `add` gives a piece's slot number; `read` returns, per slot, the words whose
    middle is in its band (the piece and half the room around it), placed in the piece's pixels."""

    pieces: list[tuple[Image.Image, int]] = field(default_factory=list)

    def add(self, piece: Image.Image, room: int) -> int:
        """A piece (greyscale, ink dark) that wants `room` pixels of white around it; its slot number."""
        self.pieces.append((piece.convert("L") if piece.mode != "L" else piece, max(1, room)))
        return len(self.pieces) - 1

    def __len__(self) -> int:
        return len(self.pieces)

    def layout(self) -> tuple[Image.Image, list[Slot], int]:
        """The strip image, each piece's slot, and the gap between pieces (the largest room asked)."""
        gap = max(room for _p, room in self.pieces)
        width = max(p.width for p, _r in self.pieces) + 2 * gap
        height = sum(p.height + gap for p, _r in self.pieces) + gap
        strip = Image.new("L", (width, height), 255)
        slots: list[Slot] = []
        y = gap
        for piece, _room in self.pieces:
            strip.paste(piece, (gap, y))
            slots.append(Slot(y, piece.height))
            y += piece.height + gap
        return strip, slots, gap

    def read(self, file: Path, *, dpi: int, timeout: float) -> list[list[Word]]:
        """Every piece read in one `--psm 6` call (the strip written to `file`); per slot, its words."""
        if not self.pieces:
            return []
        strip, slots, gap = self.layout()
        strip.save(file, format="TIFF", compression="raw", dpi=(dpi, dpi))
        found: list[list[Word]] = [[] for _ in slots]
        for w in read_words(file, dpi=dpi, psm=6, timeout=timeout):
            middle = (w.top + w.bottom) / 2
            for n, slot in enumerate(slots):
                if slot.top - gap // 2 <= middle < slot.top + slot.height + gap // 2:
                    found[n].append(replace(w, x0=w.x0 - gap, x1=w.x1 - gap, top=w.top - slot.top,
                                            bottom=w.bottom - slot.top))
                    break
        return found
