"""Generated docs stay in step with the code: regenerate with `python -m tradewind.cli.reference docs/cli.md`."""

from __future__ import annotations

from pathlib import Path

from tradewind.cli.main import app
from tradewind.cli.reference import cli_reference

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_cli_reference_is_current() -> None:
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == cli_reference(app), (
        "docs/cli.md is stale: run python -m tradewind.cli.reference docs/cli.md"
    )


def test_every_command_has_help() -> None:
    text = cli_reference(app)
    sections = text.split("\n## ")[1:]
    assert sections
    for section in sections:
        title, _, body = section.partition("\n")
        assert body.strip().splitlines()[0] != "```", f"{title} has no help text"
