"""Writing numbers, dates and files the way Amazon, the ECB and Shopify write them.

Money is held in integer minor units (cents) everywhere in the demo, so totals are exact and the
text is the same on every machine. Each helper names the layout it writes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt


def plain(cents: int, decimal: str = ".") -> str:
    """`123450` cents -> `1234.50`; `-322` -> `-3.22`; the decimal mark per locale."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}{decimal}{frac:02d}"


def plain_list(cents: npt.NDArray[np.int64] | Sequence[int], decimal: str = ".") -> list[str]:
    values = cents.tolist() if isinstance(cents, np.ndarray) else list(cents)
    return [plain(c, decimal) for c in values]


def grouped(value: int, separator: str = ",") -> str:
    """`1234567` -> `1,234,567`."""
    text = f"{int(value):,}"
    return text if separator == "," else text.replace(",", separator)


def grouped_money(cents: int, *, decimal: str = ".", thousands: str = ",") -> str:
    """`123456` -> `1,234.56` (or `1.234,56`)."""
    whole, frac = divmod(abs(int(cents)), 100)
    text = f"{whole:,}" if thousands == "," else f"{whole:,}".replace(",", thousands)
    return f"{'-' if cents < 0 else ''}{text}{decimal}{frac:02d}"


def percent(fraction: float, decimal: str = ".", thousands: str = ",") -> str:
    """`0.9503` -> `95.03%`, as Business Reports write percentages (always two decimals)."""
    basis_points = round(fraction * 10000)
    return grouped_money(basis_points, decimal=decimal, thousands=thousands) + "%"


def iso_utc_list(epoch_seconds: npt.NDArray[np.int64]) -> list[str]:
    """`2025-07-08T17:04:21+00:00`, the All Orders report's purchase-date, for many instants at once."""
    text = np.datetime_as_string(epoch_seconds.astype("datetime64[s]"), unit="s")
    return [t + "+00:00" for t in text.tolist()]


def encode(text: str, encoding: str, *, bom: bool = False) -> bytes:
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def tsv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An SP-API flat file: tab-separated, no quoting, LF line ends, a newline after the last row."""
    out = ["\t".join(header)]
    out.extend("\t".join(r) for r in rows)
    return "\n".join(out) + "\n"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]], *, final_newline: bool = True) -> str:
    """A Seller Central CSV: comma-separated, values quoted only when they need it, LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    return text if final_newline else text.rstrip("\n")


def stable_zip(path: Path, when: datetime) -> Path:
    """Rewrite an XLSX (a zip) so the same content gives the same bytes: fixed entry times, fixed
    created/modified stamps in `docProps/core.xml` (openpyxl writes the wall clock into both)."""
    import re
    import zipfile

    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode("ascii") + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    return path
