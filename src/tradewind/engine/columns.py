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


@dataclass(frozen=True)
class Col:
    values: np.ndarray  # float64, NaN = null
    reasons: np.ndarray  # object: a reason where values is NaN (None where unknown or not null)

    @staticmethod
    def const(value: float, n: int) -> Col:
        return Col(np.full(n, float(value)), nones(n))

    @staticmethod
    def of(values: Any, reasons: Any = None) -> Col:
        v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype="float64")
        r = np.full(len(v), None, dtype=object) if reasons is None else np.asarray(reasons, dtype=object)
        return Col(v, r)

    def isnull(self) -> np.ndarray:
        return np.isnan(self.values)


def _nones(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


@lru_cache(maxsize=4)
def nones(n: int) -> np.ndarray:
    """A shared, read-only array of n Nones: the reasons of a column without nulls. A board has dozens
    of such columns of a million rows each; one array serves them all. Read-only, so that code writing
    reasons in place (always into arrays of its own) fails loudly if it is ever handed this one."""
    out = np.full(n, None, dtype=object)
    out.flags.writeable = False
    return out


def _merge_reasons(result: np.ndarray, *cols: Col) -> np.ndarray:
    null = np.isnan(result)
    if not null.any():
        return nones(len(result))
    out = np.full(len(result), None, dtype=object)
    for col in reversed(cols):  # the first operand's reason wins: written last
        take = null & col.isnull()
        if take.any():
            out[take] = col.reasons[take]
    return out


def binary(op: str, a: Col, b: Col, b_label: str = "the denominator") -> Col:
    with np.errstate(divide="ignore", invalid="ignore"):
        if op == "+":
            values = a.values + b.values
        elif op == "-":
            values = a.values - b.values
        elif op == "*":
            values = a.values * b.values
        elif op == "/":
            zero = b.values == 0
            values = np.where(zero, np.nan, a.values / np.where(zero, 1.0, b.values))
            reasons = _merge_reasons(values, a, b)
            candidates = np.flatnonzero(zero & ~a.isnull())
            if len(candidates):  # only where no operand gave a reason (compared only where it can apply)
                unexplained = pd.isna(reasons[candidates])  # reasons are text or None
                reasons[candidates[unexplained]] = f"{b_label} is 0"
            return Col(values, reasons)
        else:
            raise QueryError(f"unknown operator {op}")
    values = np.where(np.isinf(values), np.nan, values)
    return Col(values, _merge_reasons(values, a, b))


def evaluate(node: Node, resolve: Any, n: int) -> Col:
    """Evaluate a formula tree; `resolve(name)` gives the Col of a KPI, measure or built-in."""
    if isinstance(node, Name):
        return resolve(node.id)
    if isinstance(node, Const):
        if node.value is None:
            return Col(np.full(n, np.nan), np.full(n, None, dtype=object))
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
        reasons = args[-1].reasons.copy()
        for col in reversed(args[:-1]):
            values = np.where(col.isnull(), values, col.values)
        return Col(values, np.where(np.isnan(values), reasons, _nones(len(values))))
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
