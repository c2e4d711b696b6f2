"""Charset names as browsers read them, and the charset a page names in its own `<meta>`.

A page's charset label means what it means to a browser (the WHATWG Encoding Standard), not
what Python's codec of that name reads: pages labelled ISO-8859-1 are written in windows-1252
(their ’ “ ” – are bytes latin-1 reads as control characters), pages labelled Shift_JIS in
Microsoft's superset of it (① is not Shift_JIS), and so on. Only the labels whose Python
codec differs from the browsers' encoding are listed; every other label a browser knows is
found through Python's own aliases. A label of a codec no browser has ("utf-7",
"unicode_escape", "rot13", "undefined") names no charset at all: the page is read as if it
named none.
"""

from __future__ import annotations

import codecs
import re

# Python's codec name for a label (codecs.lookup(label).name) -> the codec a browser reads it as.
_AS_BROWSERS_READ = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",  # latin1, l1, iso_8859-1, cp819 ...
    "iso8859-9": "cp1254",  # latin5
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",  # sjis, csshiftjis
    "gb2312": "gb18030",  # chinese
    "gbk": "gb18030",
    "euc_kr": "cp949",  # ks_c_5601-1987, korean
    "big5": "big5hkscs",  # csbig5
    "utf-16": "utf-16-le",  # no byte order mark: little-endian
}
# Labels browsers know and Python does not.
_BROWSER_ONLY_LABELS = {
    "x-cp1252": "cp1252",
    "windows-874": "cp874",
    "windows-31j": "cp932",
    "x-sjis": "cp932",
    "windows-949": "cp949",
    "x-gbk": "gb18030",
    "cn-big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "iso-8859-8-i": "iso8859-8",
    "koi8-ru": "koi8-u",
    "x-mac-roman": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
}
# The encodings browsers read, by Python's codec name (the WHATWG list, less x-user-defined and
# the "replacement" encoding, which reads a whole page as one U+FFFD).
_BROWSER_CODECS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8 cp866 iso8859-2 iso8859-3 iso8859-4 iso8859-5 iso8859-6 iso8859-7 iso8859-8 iso8859-10 "
        "iso8859-13 iso8859-14 iso8859-15 iso8859-16 koi8-r koi8-u mac-roman mac-cyrillic cp874 cp1250 "
        "cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257 cp1258 gb18030 big5hkscs euc_jp iso2022_jp "
        "cp932 cp949 utf-16-le utf-16-be"
    ).split()
)

# Where a page names its charset: the first 4 KB (the standard's prescan reads 1 KB; some pages
# put a kilobyte of other tags before it), comments left out.
META_SCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"<meta[\s/][^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)


def browser_codec(label: str | bytes) -> str | None:
    """Python's codec for the encoding a browser reads `label` as, or None when no browser knows it."""
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    label = label.strip().lower()
    codec = _BROWSER_ONLY_LABELS.get(label)
    if codec is None:
        try:
            codec = codecs.lookup(label).name
        except LookupError:
            return None
    codec = _AS_BROWSERS_READ.get(codec, codec)
    return codec if codec in _BROWSER_CODECS else None


def meta_codec(page: bytes) -> str | None:
    """The codec of the charset a page names in a `<meta charset>` or a `<meta http-equiv=
    "Content-Type" content="…; charset=…">`: the first one a browser knows, as browsers' prescan
    takes it. A page that names UTF-16 in ASCII is not UTF-16: such a name means UTF-8."""
    head = _COMMENT.sub(b"", page[:META_SCAN_BYTES])
    for m in _META_CHARSET.finditer(head):
        codec = browser_codec(m.group(1))
        if codec is not None:
            return "utf-8" if codec.startswith("utf-16") else codec
    return None
