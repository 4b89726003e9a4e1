"""Header normalisation: the one place that decides when two header spellings are the same header.

Amazon writes the same column as `Sessions - Total`, `Sessions – Total` (en dash), `Sessions – Total `
(trailing space) or with a non-breaking space, and changes case between marketplaces. After
`normalise_header` they are equal; matching is then exact (a substring match would confuse
`Sessions - Total` with `Sessions - Total - B2B`).
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_SPACES = re.compile(r"\s+")


def normalise_header(text: str) -> str:
    """Fold BOM, dash variants, NBSP and runs of whitespace, trim, and case-fold."""
    text = text.replace("\ufeff", "").replace("\u00a0", " ").replace("\u202f", " ")
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = _SPACES.sub(" ", text).strip()
    # Spaces around dashes vary too ("Sessions -Total"); make them uniform.
    text = re.sub(r"\s*-\s*", lambda m: " - " if " " in m.group(0) else "-", text)
    return text.casefold()
