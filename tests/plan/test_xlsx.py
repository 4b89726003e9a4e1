"""The Excel round trip: a sheet per level with zh and en headers, totals as formulas, LibreOffice opens it
and computes the same totals, and an import applies edits as a new version after validating them.

The plan is the decomposition case's plan (test_decompose): total 12,000.03, US S2 locked at 100.00.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected
from tradewind.plan import PlanError
from tradewind.plan.model import DIM_LEVELS
from tradewind.plan.parsing import parse_growth, parse_level, parse_sets, parse_shares
from tradewind.plan.service import CreateRequest, ReviseRequest
from tradewind.plan.xlsx import FIRST_ROW, LEVELS_SHEET, MONTH, README, YEAR

from .conftest import PLAN_TODAY, fill_seller, new_workspace

MARKET = "站点 Marketplace"
CHANNEL = "渠道 Channel"
PERSON = "负责人 Person"


def _create(ws: Workspace, name: str) -> None:
    ws.plans().create(
        CreateRequest(
            name=name,
            year=2026,
            total=Decimal("12000.03"),
            levels=DIM_LEVELS,
            growth=parse_growth("DE=0.5"),
            shares=parse_shares("IT=0.1,DE/amazon_fba/N1=0.2", DIM_LEVELS),
            sets=parse_sets(["*/US/amazon_fba/S2=100"], DIM_LEVELS),
            owner="boss",
        ),
        today=PLAN_TODAY,
    )


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = fill_seller(new_workspace(tmp_path_factory.mktemp("xlsx") / "ws"))
    _create(workspace, "x")
    workspace.plans().revise(
        "x", ReviseRequest(reason="levels", levels=[parse_level("acos<=0.25@marketplace=US")])
    )
    yield workspace
    workspace.close()


def _find(sheet: Worksheet, *keys: str) -> int:
    for r in range(FIRST_ROW, sheet.max_row + 1):
        if tuple(str(sheet.cell(r, c + 1).value) for c in range(len(keys))) == keys:
            return r
    raise AssertionError(f"no row {keys} in {sheet.title}")


def test_a_sheet_per_level_with_zh_and_en_headers_and_formulas(ws: Workspace, tmp_path: Path) -> None:
    path = ws.plans().export("x", tmp_path / "plan.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [README, YEAR, MONTH, MARKET, CHANNEL, "SKU", PERSON, LEVELS_SHEET]
    sku = wb["SKU"]
    assert [sku.cell(1, c).value for c in range(1, 9)] == [
        "月份",
        "站点",
        "渠道",
        "SKU",
        "负责人",
        "ABC分级",
        "目标 USD",
        "锁定",
    ]
    assert [sku.cell(2, c).value for c in range(1, 9)] == [
        "Month", "Marketplace", "Channel", "SKU", "Owner", "ABC tier", "Target USD", "Held",
    ]  # fmt: skip
    r = _find(sku, "2026-01", "US", "amazon_fba", "S2", "wang")
    assert (sku.cell(r, 6).value, sku.cell(r, 7).value, sku.cell(r, 8).value) == ("B", 100, "Y")
    assert str(wb[YEAR]["B3"].value).startswith("=SUM('月度 Month'!B4:B")
    month = wb[MONTH]
    assert str(month.cell(_find(month, "2026-07"), 2).value).startswith(
        "=SUMPRODUCT(('站点 Marketplace'!$A$4:$A$"
    )
    market = wb[MARKET]
    assert str(market.cell(_find(market, "2026-07", "DE"), 3).value).startswith(
        "=SUMPRODUCT(('渠道 Channel'!"
    )
    person = wb[PERSON]
    assert "('SKU'!$E$4:$E$" in str(person.cell(_find(person, "2026-01", "li"), 3).value)
    assert wb[README]["B3"].value == "x" and wb[README]["B4"].value == 2
    levels = wb[LEVELS_SHEET]
    assert [levels.cell(3, c).value for c in range(1, 6)] == ["acos", "marketplace=US", "2026", "<=", 0.25]


def test_an_unchanged_file_imports_to_the_same_plan(ws: Workspace, tmp_path: Path) -> None:
    path = ws.plans().export("x", tmp_path / "plan.xlsx")
    result = ws.plans().import_(path)
    assert (result.plan, result.changed) == ("x", False)
    assert ws.plans().get("x").latest.version == 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_it_computes_the_same_totals_and_it_reimports(
    ws: Workspace, tmp_path: Path
) -> None:
    path = ws.plans().export("x", tmp_path / "plan.xlsx")
    out = tmp_path / "lo"
    done = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    converted = out / "plan.xlsx"
    assert converted.exists(), done.stdout + done.stderr
    values = load_workbook(converted, data_only=True)
    # LibreOffice computed every formula: the year is the plan's total, months and owners add up to it
    assert values[YEAR]["B3"].value == pytest.approx(12000.03, abs=1e-6)
    month = values[MONTH]
    assert month.cell(_find(month, "2026-07"), 2).value == pytest.approx(1002.01, abs=1e-6)
    assert month["B3"].value == pytest.approx(12000.03, abs=1e-6)
    market = values[MARKET]
    assert market.cell(_find(market, "2026-12", "DE"), 3).value == pytest.approx(540.01, abs=1e-6)
    assert values[PERSON]["C3"].value == pytest.approx(12000.03, abs=1e-6)
    assert ws.plans().import_(converted).changed is False


def test_edits_become_a_new_version(ws: Workspace, tmp_path: Path) -> None:
    plans = ws.plans()
    _create(ws, "edit")
    path = plans.export("edit", tmp_path / "plan.xlsx")
    wb = load_workbook(path)
    sku = wb["SKU"]
    # a leaf: US S1 January 260.00 -> 300.00 (its totals are formulas: the year grows by 40.00)
    sku.cell(_find(sku, "2026-01", "US", "amazon_fba", "S1", "li"), 7).value = 300
    # a pinned total: DE February 540.00 -> 600 typed over its formula; N1 : S1 = 108 : 432 -> 120 : 480
    market = wb[MARKET]
    market.cell(_find(market, "2026-02", "DE"), 3).value = 600
    wb.save(path)
    result = plans.import_(path, reason="sales meeting")
    assert result.changed and result.edited_cells == 1 and result.pinned_totals == 1
    assert result.outcome is not None
    v = result.outcome.version
    cells = {c.path: c for c in v.cells}
    assert cells[("2026-01", "US", "amazon_fba", "S1", "li")].amount == 30_000
    assert cells[("2026-01", "US", "amazon_fba", "S1", "li")].held
    assert cells[("2026-02", "DE", "amazon_fba", "N1", "zhao")].amount == 12_000
    assert cells[("2026-02", "DE", "amazon_fba", "S1", "li")].amount == 48_000
    assert v.total == 1_200_003 + 4_000 + 6_000
    assert (v.version, v.reason, str(v.effective_from)) == (2, "sales meeting", "2026-01-01")
    assert v.diff is not None and v.diff["cells_changed"] == 3


def _edited(ws: Workspace, tmp_path: Path, name: str, edit: object) -> Path:
    path = ws.plans().export("x", tmp_path / f"{name}.xlsx")
    wb = load_workbook(path)
    edit(wb)  # type: ignore[operator]
    wb.save(path)
    return path


def test_imports_are_validated_whole(ws: Workspace, tmp_path: Path) -> None:
    def unknown_sku_and_person(wb: object) -> None:
        sheet = wb["SKU"]  # type: ignore[index]
        row = sheet.max_row + 1
        for c, value in enumerate(["2026-03", "US", "amazon_fba", "GHOST", "li", "", 10], start=1):
            sheet.cell(row, c, value)
        r = _find(sheet, "2026-04", "US", "amazon_fba", "S1", "li")
        sheet.cell(r, 5).value = "nobody"
        sheet.cell(_find(sheet, "2026-05", "US", "amazon_fba", "S1", "li"), 7).value = -5
        sheet.cell(_find(sheet, "2026-06", "US", "amazon_fba", "S1", "li"), 7).value = 12.345

    path = _edited(ws, tmp_path, "bad", unknown_sku_and_person)
    with pytest.raises(ImportRejected) as caught:
        ws.plans().import_(path)
    text = str(caught.value)
    assert "sheet 'SKU': unknown sku" in text and "(value 'GHOST')" in text
    assert "unknown person" in text and "(value 'nobody')" in text
    assert "the target is not an amount" in text and "(value '-5')" in text and "(value '12.345')" in text
    assert "Nothing was written" in text
    assert ws.plans().get("x").latest.version == 2

    def deleted_row(wb: object) -> None:
        sheet = wb["SKU"]  # type: ignore[index]
        sheet.delete_rows(_find(sheet, "2026-03", "DE", "amazon_fba", "N1", "zhao"))

    with pytest.raises(ImportRejected, match="a target row is missing: set it to 0"):
        ws.plans().import_(_edited(ws, tmp_path, "deleted", deleted_row))

    def pinned_below_its_held_cells(wb: object) -> None:
        # US amazon_fba January holds S2 at 100.00: its total cannot be 50
        sheet = wb[CHANNEL]  # type: ignore[index]
        sheet.cell(_find(sheet, "2026-01", "US", "amazon_fba"), 4).value = 50

    with pytest.raises(ImportRejected, match=r"held inside 2026-01 / US / amazon_fba add up to 100\.00"):
        ws.plans().import_(_edited(ws, tmp_path, "pinned", pinned_below_its_held_cells))


def test_a_file_from_an_older_version_is_refused(ws: Workspace, tmp_path: Path) -> None:
    _create(ws, "old")
    path = ws.plans().export("old", tmp_path / "old.xlsx")
    ws.plans().revise("old", ReviseRequest(reason="meanwhile", total=Decimal("13000")))
    with pytest.raises(PlanError, match=r"exported from version 1 .* now at version 2"):
        ws.plans().import_(path)


def test_level_targets_edited_in_the_sheet(ws: Workspace, tmp_path: Path) -> None:
    _create(ws, "lv")
    path = ws.plans().export("lv", tmp_path / "lv.xlsx")
    wb = load_workbook(path)
    sheet = wb[LEVELS_SHEET]
    for c, value in enumerate(["cvr", "marketplace=DE", "2026", ">=", 0.12, None, "wang"], start=1):
        sheet.cell(3, c, value)
    wb.save(path)
    result = ws.plans().import_(path)
    assert result.outcome is not None
    (target,) = result.outcome.version.level_targets
    assert (target.kpi, target.scope, target.comparator, target.value, target.owner) == (
        "cvr", (("marketplace", "DE"),), ">=", 0.12, "wang"
    )  # fmt: skip
    assert str(result.outcome.version.effective_from) == "2026-01-01"


def test_the_workspace_lock_is_not_needed_to_export(tmp_path: Path) -> None:
    ws = fill_seller(new_workspace(tmp_path / "ws"))
    _create(ws, "p")
    ws.close()
    with Workspace.open(tmp_path / "ws", read_only=True) as ro:
        assert ro.plans().export("p", tmp_path / "p.xlsx").exists()
