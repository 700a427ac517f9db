"""Scanning an Office file's XML parts for what makes XML unsafe (a DTD, an entity declaration).

`sniff` runs every XML part of a DOCX/XLSX through one of these before any reader parses it:
`XmlScan` (expat, which also says whether the part is well-formed: a reader's verdict `sniff` vouches
for), `QuickScan` (a byte search, for parts that spell ASCII as ASCII and need no vouching), and
`VouchScan` (expat's well-formedness verdict remembered by the part's SHA-256, issue 21).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from typing import Any
from xml.parsers import expat

MB = 1024 * 1024
_DTD = re.compile(rb"<!\s*(doctype|entity)", re.I)
_DTD16 = (b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E\x00", b"\x00<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E",
          b"<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y\x00", b"\x00<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y")


class _Declared(Exception):
    """A DTD, an entity declaration or an external reference was met."""


def _declared(*_args: Any) -> None:
    raise _Declared


_ASCII_ENCODINGS = {b"utf-8", b"us-ascii", b"iso-8859-1"}  # expat's own names whose bytes spell ASCII as ASCII
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _spells_ascii(first: bytes) -> bool:
    """Does a part whose first bytes are `first` write ASCII characters as ASCII bytes, for expat? (UTF-8,
    with or without its BOM, or a declared US-ASCII / ISO-8859-1.) Then a DOCTYPE or ENTITY declaration in
    it can only be the bytes `<!DOCTYPE` / `<!ENTITY`."""
    head = first[3:] if first.startswith(b"\xef\xbb\xbf") else first
    if not head.startswith(b"<") or head[1:2] in (b"", b"\x00"):
        return False
    if not head.startswith(b"<?xml"):
        return True  # no declaration: expat reads UTF-8
    end = head.find(b"?>", 0, 512)
    if end < 0:
        return False
    found = _ENCODING.search(head, 0, end)
    return found is None or found.group(1).lower() in _ASCII_ENCODINGS


class QuickScan:
    """The DTD scan of a part no reader needs vouched for as well-formed (a theme, `stylesWithEffects`, a
    relationship part): when it spells ASCII as ASCII (`_spells_ascii`), a byte search for `<!DOCTYPE` /
    `<!ENTITY` (any case, spaces allowed: wider than XML) says it is safe at a fraction of expat's cost.
    Any hit, or another encoding, sends the part to `XmlScan` (`suspect`), whose verdict stands."""

    def __init__(self) -> None:
        self.suspect = False
        self._spells_ascii: bool | None = None
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        if self.suspect:
            return
        if self._spells_ascii is None:
            self._spells_ascii = _spells_ascii(chunk)
        window = self._tail + chunk
        if not self._spells_ascii or _DTD.search(window):
            self.suspect = True
        self._tail = window[-32:]


class XmlScan:
    """Is an XML part unsafe (a DTD, an entity declaration, an external reference)? Fed chunk by chunk.

    expat reads the part in any encoding it declares; a DOCTYPE, an entity declaration or an external
    entity reference stops it (what defusedxml forbids, without a Python call per element). A part that
    is not well-formed XML is left to the readers (they call the file damaged); from that point on the
    rest of it is scanned byte-wise for `<!DOCTYPE`/`<!ENTITY` in UTF-8 and UTF-16, so a malformed
    prefix cannot hide a declaration behind it.
    """

    def __init__(self) -> None:
        self.unsafe = False
        parser: Any = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = _declared
        parser.EntityDeclHandler = _declared
        parser.UnparsedEntityDeclHandler = _declared
        parser.ExternalEntityRefHandler = _declared
        self._parser: Any = parser
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        if self._parser is not None:
            try:
                self._parser.Parse(chunk, False)
                return
            except _Declared:
                self.unsafe = True
                return
            except expat.ExpatError:
                self._parser = None  # not well-formed: fall back to the byte scan below
        self._scan_bytes(chunk)

    def close(self) -> bool:
        """Finish the part: True when it was read to its end as well-formed XML (and found safe)."""
        if self._parser is None or self.unsafe:
            return False
        try:
            self._parser.Parse(b"", True)
        except _Declared:
            self.unsafe = True
            return False
        except expat.ExpatError:
            return False
        return True

    def _scan_bytes(self, chunk: bytes) -> None:
        window = self._tail + chunk
        if _DTD.search(window) or any(p in window for p in _DTD16):
            self.unsafe = True
        self._tail = window[-32:]


MEMO_PART = 2 * MB  # parts up to this size are held while read and known again by their SHA-256
_MEMO_SIZE = 64
_MEMO_LOCK = threading.Lock()
_WELL_FORMED: OrderedDict[bytes, bool] = OrderedDict()  # SHA-256 of a part -> expat read it to its end


class VouchScan:
    """The scan of a part to be vouched for as well-formed: `XmlScan`'s verdict, remembered by content.

    Documents made from one template share most of their parts byte for byte (a 350 KB styles part in
    every python-docx file; a school's Word template). A part that spells ASCII as ASCII is held as it is
    read (up to `MEMO_PART`) and searched byte-wise for `<!DOCTYPE`/`<!ENTITY` as `QuickScan` does, which is
    what makes it safe; whether it is well-formed is then expat's verdict on the same bytes, known by
    their SHA-256 from an earlier part, or found by expat now. A part with any such bytes, another
    encoding, or a larger one, is read by expat as it arrives, as `XmlScan` alone would.
    """

    def __init__(self) -> None:
        self.unsafe = False
        self._quick = QuickScan()
        self._held: list[bytes] | None = []
        self._size = 0
        self._digest = hashlib.sha256()
        self._expat: XmlScan | None = None

    def feed(self, chunk: bytes) -> None:
        if self._held is None:
            assert self._expat is not None
            self._expat.feed(chunk)
            self.unsafe = self._expat.unsafe
            return
        self._quick.feed(chunk)
        self._held.append(chunk)
        self._size += len(chunk)
        if self._quick.suspect or self._size > MEMO_PART:
            self._to_expat()
        else:
            self._digest.update(chunk)

    def _to_expat(self) -> XmlScan:
        scan = self._expat = XmlScan()
        for held in self._held or []:
            scan.feed(held)
            if scan.unsafe:
                break
        self._held = None
        self.unsafe = scan.unsafe
        return scan

    def close(self) -> bool:
        """Finish the part: True when it is well-formed XML, read to its end (and found safe)."""
        key: bytes | None = None
        if self._held is not None:
            key = self._digest.digest()
            with _MEMO_LOCK:
                known = _WELL_FORMED.get(key)
            if known is not None:
                return known
            scan = self._to_expat()
        else:
            assert self._expat is not None
            scan = self._expat
        well_formed = scan.close()
        self.unsafe = scan.unsafe
        if key is not None and not self.unsafe:
            with _MEMO_LOCK:
                _WELL_FORMED[key] = well_formed
                while len(_WELL_FORMED) > _MEMO_SIZE:
                    _WELL_FORMED.popitem(last=False)
        return well_formed
