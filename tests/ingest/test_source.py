"""Reading a file once: its sha256 and whether DuckDB can read it in place as UTF-8, in one pass."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tradewind.ingest.source import open_source

CHUNK = 1 << 20  # the size the file is read in


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    return path


def test_a_character_split_between_two_chunks_is_still_utf8(tmp_path: Path) -> None:
    euro = "€".encode()  # three bytes
    data = b"a\tb\n" + b"x" * (CHUNK - 5) + euro + b"\n"  # the euro sign starts one byte before the cut
    source, _head = open_source(_file(tmp_path, data))
    assert source.plain_utf8
    assert source.sha256 == hashlib.sha256(data).hexdigest() and source.size_bytes == len(data)


def test_one_cp1252_byte_after_the_first_megabyte_is_not_utf8(tmp_path: Path) -> None:
    data = b"a\tb\n" + b"x" * (2 * CHUNK) + "Straße „neu“\n".encode("cp1252")
    source, _head = open_source(_file(tmp_path, data))
    assert not source.plain_utf8


def test_a_file_cut_inside_a_character_is_not_utf8(tmp_path: Path) -> None:
    source, _head = open_source(_file(tmp_path, b"a\tb\n" + "€".encode()[:2]))
    assert not source.plain_utf8


def test_a_byte_order_mark_is_decoded_not_read_in_place(tmp_path: Path) -> None:
    source, _head = open_source(_file(tmp_path, b"\xef\xbb\xbfa\tb\n1\t2\n"))
    assert not source.plain_utf8
