"""Compile catalog expressions to Ibis, row by row: the only place a catalog formula becomes a query.

Division is safe (a zero denominator gives null, as in the KPI layer), `iff` is a CASE, `like` is SQL
LIKE. Everything compiles to plain ANSI constructs so DuckDB and Spark run the same expression.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.types as ir

from tradewind.catalog.expressions import Binary, BoolOp, Call, Compare, Const, In, Name, Node, Unary, parse
from tradewind.core.errors import QueryError

Resolver = Callable[[str], ir.Value]


def compile_row(text: str, resolve: Resolver) -> ir.Value:
    """`text` (a catalog row expression) as an Ibis value; names are resolved by `resolve`."""
    return _compile(parse(text).node, resolve)


def compile_node(node: Node, resolve: Resolver) -> ir.Value:
    """An already parsed expression tree as an Ibis value."""
    return _compile(node, resolve)


def _compile(node: Node, resolve: Resolver) -> Any:
    if isinstance(node, Name):
        return resolve(node.id)
    if isinstance(node, Const):
        if node.value is None:
            return ibis.null()
        if isinstance(node.value, float):
            return ibis.literal(node.value, type="float64")
        return ibis.literal(node.value)
    if isinstance(node, Unary):
        arg = _compile(node.arg, resolve)
        return ~arg if node.op == "not" else -arg
    if isinstance(node, Binary):
        left, right = _compile(node.left, resolve), _compile(node.right, resolve)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return left.cast("float64") / right.cast("float64").nullif(0)
    if isinstance(node, Compare):
        left, right = _compile(node.left, resolve), _compile(node.right, resolve)
        ops = {
            "==": left.__eq__,
            "!=": left.__ne__,
            "<": left.__lt__,
            "<=": left.__le__,
            ">": left.__gt__,
            ">=": left.__ge__,
        }
        return ops[node.op](right)
    if isinstance(node, BoolOp):
        args = [_compile(a, resolve) for a in node.args]
        out = args[0]
        for arg in args[1:]:
            out = (out & arg) if node.op == "and" else (out | arg)
        return out
    if isinstance(node, In):
        arg = _compile(node.arg, resolve)
        values = list(node.values)
        return arg.notin(values) if node.negated else arg.isin(values)
    if isinstance(node, Call):
        return _call(node, resolve)
    raise QueryError(f"cannot compile {node!r}")


def _call(node: Call, resolve: Resolver) -> Any:
    args = [_compile(a, resolve) for a in node.args]
    f = node.func
    if f == "coalesce":
        return args[0] if len(args) == 1 else ibis.coalesce(*args)
    if f == "iff":
        return ibis.ifelse(args[0], args[1], args[2])
    if f in ("greatest", "least"):
        # null if any argument is null: Spark's and DuckDB's greatest() skip nulls, the catalog doesn't
        any_null = args[0].isnull()
        for a in args[1:]:
            any_null = any_null | a.isnull()
        value = ibis.greatest(*args) if f == "greatest" else ibis.least(*args)
        return ibis.ifelse(any_null, ibis.null(), value)
    if f == "abs":
        return args[0].abs()
    if f == "isnull":
        return args[0].isnull()
    if f == "notnull":
        return args[0].notnull()
    if f == "nullif":
        return args[0].nullif(args[1])
    if f == "like":
        pattern = node.args[1]
        if not isinstance(pattern, Const) or not isinstance(pattern.value, str):
            raise QueryError("like() needs a literal text pattern")
        return args[0].like(pattern.value)
    raise QueryError(f"unknown function {f!r}")
