"""KPI-level arithmetic on whole result columns, carrying for every null the reason it is null.

A value and its reason travel together (`Col`): `cvr` is null "because there is no traffic report for
IT", `aov` "because orders is 0". Everything is vectorised (numpy), so a board of a million rows costs
a few array operations per KPI.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from tradewind.catalog.expressions import Binary, BoolOp, Call, Compare, Const, In, Name, Node, Unary
from tradewind.core.errors import QueryError


@lru_cache(maxsize=4)
def _no_codes(n: int) -> np.ndarray:
    """One shared, read-only array of n "no reason" codes: most columns of a board have no null, and a
    million-row board has dozens of columns (every change copies the codes first, see `fill`)."""
    codes = np.full(n, -1, dtype=np.int32)
    codes.flags.writeable = False
    return codes


@dataclass(frozen=True)
class Reasons:
    """Why each value of a column is null: per row a code into a short table of texts (-1: none).

    Codes, not a string object per row: a board of a million rows merges reasons at every ratio and
    derived step, and moving Python objects around cost more than the arithmetic itself. The texts
    of a column are few (a reason names a scope, such as a marketplace-month, not a row)."""

    codes: np.ndarray  # int32
    texts: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i: int) -> str | None:
        code = int(self.codes[i])
        return self.texts[code] if code >= 0 else None

    @staticmethod
    def none(n: int) -> Reasons:
        return Reasons(_no_codes(n))

    @staticmethod
    def const(text: str, n: int) -> Reasons:
        return Reasons(np.zeros(n, dtype=np.int32), (text,))

    @staticmethod
    def from_rows(n: int, rows: np.ndarray, texts: list[str]) -> Reasons:
        """`texts[k]` for row `rows[k]`, none elsewhere (per-row texts, stored once per distinct text)."""
        codes = np.full(n, -1, dtype=np.int32)
        if not len(rows):
            return Reasons(codes)
        row_codes, uniques = pd.factorize(pd.Series(texts, dtype=object))
        codes[rows] = row_codes
        return Reasons(codes, tuple(str(u) for u in uniques))

    def missing(self) -> np.ndarray:
        """Rows without a reason."""
        return self.codes < 0

    def fill(self, mask: np.ndarray, text: str) -> Reasons:
        """`text` for the rows of `mask` (replacing whatever they had)."""
        if not mask.any():
            return self
        codes = self.codes.copy()
        codes[mask] = len(self.texts)
        return Reasons(codes, (*self.texts, text))

    def take_from(self, mask: np.ndarray, other: Reasons) -> Reasons:
        """`other`'s reasons for the rows of `mask` where it has one."""
        mask = mask & (other.codes >= 0)
        if not mask.any():
            return self
        codes = self.codes.copy()
        codes[mask] = other.codes[mask] + len(self.texts)
        return Reasons(codes, self.texts + other.texts)

    def only(self, mask: np.ndarray) -> Reasons:
        """These reasons for the rows of `mask`, none elsewhere."""
        return Reasons(np.where(mask, self.codes, -1).astype(np.int32), self.texts)

    def objects(self) -> np.ndarray:
        """One Python object per row: the text, or None."""
        table = np.empty(len(self.texts) + 1, dtype=object)
        table[: len(self.texts)] = self.texts
        table[-1] = None
        return table[self.codes]

    def categorical(self) -> pd.Categorical:
        """The reasons as a pandas categorical (a text per row, NaN where none), built without a
        Python object per row."""
        uniques, inverse = np.unique(np.asarray(self.texts, dtype=object), return_inverse=True)
        remap = np.append(inverse, -1).astype(np.int32)  # code -1 (no reason) stays -1
        return pd.Categorical.from_codes(remap[self.codes], categories=uniques)


@dataclass(frozen=True)
class Col:
    values: np.ndarray  # float64, NaN = null
    reasons: Reasons  # a reason where values is NaN (none where unknown or not null)

    @staticmethod
    def const(value: float, n: int) -> Col:
        return Col(np.full(n, float(value)), Reasons.none(n))

    @staticmethod
    def of(values: Any) -> Col:
        v = floats(pd.Series(values))
        return Col(v, Reasons.none(len(v)))

    def isnull(self) -> np.ndarray:
        return np.isnan(self.values)


def floats(series: pd.Series) -> np.ndarray:
    """A column as float64 with NaN for null (query results are float already: no conversion then)."""
    if series.dtype == np.float64:
        return series.to_numpy()
    return np.asarray(pd.to_numeric(series, errors="coerce"), dtype="float64")


def _merge_reasons(result: np.ndarray, *cols: Col) -> Reasons:
    null = np.isnan(result)
    out = Reasons.none(len(result))
    if not null.any():
        return out
    for col in reversed(cols):  # the first operand's reason wins: written last
        out = out.take_from(null & col.isnull(), col.reasons)
    return out


def binary(op: str, a: Col, b: Col, b_label: str = "the denominator") -> Col:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if op == "+":
            values = a.values + b.values
        elif op == "-":
            values = a.values - b.values
        elif op == "*":
            values = a.values * b.values
        elif op == "/":
            zero = b.values == 0
            values = a.values / b.values
            values[zero] = np.nan  # x / 0 is no value, with a reason (below)
            reasons = _merge_reasons(values, a, b)
            # where no operand gave a reason
            reasons = reasons.fill(zero & ~a.isnull() & reasons.missing(), f"{b_label} is 0")
            return Col(values, reasons)
        else:
            raise QueryError(f"unknown operator {op}")
    values[np.isinf(values)] = np.nan
    return Col(values, _merge_reasons(values, a, b))


def evaluate(node: Node, resolve: Any, n: int) -> Col:
    """Evaluate a formula tree; `resolve(name)` gives the Col of a KPI, measure or built-in."""
    if isinstance(node, Name):
        return resolve(node.id)
    if isinstance(node, Const):
        if node.value is None:
            return Col(np.full(n, np.nan), Reasons.none(n))
        if isinstance(node.value, bool | int | float):
            return Col.const(float(node.value), n)
        raise QueryError(f"a formula cannot use the text {node.value!r}")
    if isinstance(node, Unary):
        arg = evaluate(node.arg, resolve, n)
        if node.op == "-":
            return Col(-arg.values, arg.reasons)
        return Col(np.where(arg.isnull(), np.nan, (arg.values == 0).astype(float)), arg.reasons)
    if isinstance(node, Binary):
        label = _label(node.right)
        return binary(node.op, evaluate(node.left, resolve, n), evaluate(node.right, resolve, n), label)
    if isinstance(node, Compare):
        a, b = evaluate(node.left, resolve, n), evaluate(node.right, resolve, n)
        ops = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater}
        ops[">="] = np.greater_equal
        values = ops[node.op](a.values, b.values).astype(float)
        values = np.where(a.isnull() | b.isnull(), np.nan, values)
        return Col(values, _merge_reasons(values, a, b))
    if isinstance(node, BoolOp):
        cols = [evaluate(x, resolve, n) for x in node.args]
        stacked = np.vstack([c.values for c in cols])
        truth = stacked != 0
        values = (truth.all(axis=0) if node.op == "and" else truth.any(axis=0)).astype(float)
        values = np.where(np.isnan(stacked).any(axis=0), np.nan, values)
        return Col(values, _merge_reasons(values, *cols))
    if isinstance(node, In):
        raise QueryError("'in' is for row expressions, not KPI formulas")
    if isinstance(node, Call):
        return _call(node, resolve, n)
    raise QueryError(f"cannot evaluate {node!r}")


def _call(node: Call, resolve: Any, n: int) -> Col:
    args = [evaluate(a, resolve, n) for a in node.args]
    f = node.func
    if f == "coalesce":
        values = args[-1].values.copy()
        for col in reversed(args[:-1]):
            values = np.where(col.isnull(), values, col.values)
        return Col(values, args[-1].reasons.only(np.isnan(values)))
    if f in ("greatest", "least"):
        stacked = np.vstack([c.values for c in args])
        values = stacked.max(axis=0) if f == "greatest" else stacked.min(axis=0)  # NaN propagates
        return Col(values, _merge_reasons(values, *args))
    if f == "abs":
        return Col(np.abs(args[0].values), args[0].reasons)
    if f == "iff":
        cond, a, b = args
        values = np.where(cond.isnull(), np.nan, np.where(cond.values != 0, a.values, b.values))
        return Col(values, _merge_reasons(values, cond, a, b))
    if f == "isnull":
        return Col.of(args[0].isnull().astype(float))
    if f == "notnull":
        return Col.of((~args[0].isnull()).astype(float))
    if f == "nullif":
        values = np.where(args[0].values == args[1].values, np.nan, args[0].values)
        return Col(values, _merge_reasons(values, args[0], args[1]))
    raise QueryError(f"{f}() cannot be used in a KPI formula")


def _label(node: Node) -> str:
    if isinstance(node, Name):
        return node.id
    return "the denominator"
