"""The small expression language of the catalog: row expressions over a fact's columns
(`item_price - coalesce(item_tax, 0)`), filters (`not is_cancelled and quantity > 0`), and formulas over
other KPIs (`gmv / orders`, `greatest(0, 1 - ad_sales / gmv)`).

Expressions are parsed with Python's own parser and then checked against a closed set of node types,
so a catalog can hold nothing but arithmetic, comparisons, boolean logic and a few named functions.
The engine compiles the resulting tree to Ibis (row level) or to vectorised arithmetic (KPI level);
nothing here knows about either.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

#: name -> (min args, max args or None); what each function means is written in `docs` below.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "coalesce": (1, None),
    "iff": (3, 3),
    "greatest": (2, None),
    "least": (2, None),
    "abs": (1, 1),
    "isnull": (1, 1),
    "notnull": (1, 1),
    "nullif": (2, 2),
    "like": (2, 2),
}

FUNCTION_DOCS: dict[str, str] = {
    "coalesce": "the first argument that is not null",
    "iff": "iff(condition, value if true, value otherwise)",
    "greatest": "the largest argument (null if any argument is null)",
    "least": "the smallest argument (null if any argument is null)",
    "abs": "absolute value",
    "isnull": "true where the argument is null",
    "notnull": "true where the argument is not null",
    "nullif": "nullif(a, b): null where a equals b, else a",
    "like": "like(text, '%Fee%'): SQL LIKE pattern match (row expressions only)",
}

ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}

Scalar = int | float | str | bool | None


@dataclass(frozen=True)
class Name:
    id: str


@dataclass(frozen=True)
class Const:
    value: Scalar


@dataclass(frozen=True)
class Unary:
    op: str  # "-" or "not"
    arg: Node


@dataclass(frozen=True)
class Binary:
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" or "or"
    args: tuple[Node, ...]


@dataclass(frozen=True)
class In:
    arg: Node
    values: tuple[Scalar, ...]
    negated: bool


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Node, ...]


Node = Name | Const | Unary | Binary | Compare | BoolOp | In | Call


class ExpressionError(ValueError):
    """An expression that is not valid in the catalog language; the message says why."""


@dataclass(frozen=True)
class Expr:
    text: str
    node: Node

    def names(self) -> frozenset[str]:
        return names_in(self.node)

    def __str__(self) -> str:
        return self.text


@lru_cache(maxsize=4096)
def parse(text: str) -> Expr:
    """Parse `text` or raise ExpressionError naming the offending part."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("empty expression")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error at column {exc.offset}: {exc.msg}") from None
    return Expr(text.strip(), _convert(tree.body))


def _convert(node: ast.expr) -> Node:
    if isinstance(node, ast.Name):
        return Name(node.id)
    if isinstance(node, ast.Constant):
        if node.value is None or isinstance(node.value, bool | int | float | str):
            return Const(node.value)
        raise ExpressionError(f"unsupported constant {node.value!r}")
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            arg = _convert(node.operand)
            if (
                isinstance(arg, Const)
                and isinstance(arg.value, int | float)
                and not isinstance(arg.value, bool)
            ):
                return Const(-arg.value)
            return Unary("-", arg)
        if isinstance(node.op, ast.Not):
            return Unary("not", _convert(node.operand))
        if isinstance(node.op, ast.UAdd):
            return _convert(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        return Binary(ARITHMETIC[type(node.op)], _convert(node.left), _convert(node.right))
    if isinstance(node, ast.BoolOp):
        op = "and" if isinstance(node.op, ast.And) else "or"
        return BoolOp(op, tuple(_convert(v) for v in node.values))
    if isinstance(node, ast.Compare):
        return _compare(node)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError("only plain function names can be called")
        name = node.func.id
        if name not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise ExpressionError(f"unknown function {name!r}; known functions: {known}")
        if node.keywords:
            raise ExpressionError(f"{name}() takes no keyword arguments")
        low, high = FUNCTIONS[name]
        if len(node.args) < low or (high is not None and len(node.args) > high):
            want = str(low) if low == high else f"{low} or more" if high is None else f"{low}..{high}"
            raise ExpressionError(f"{name}() takes {want} arguments, not {len(node.args)}")
        return Call(name, tuple(_convert(a) for a in node.args))
    raise ExpressionError(f"unsupported syntax: {ast.unparse(node)!r}")


def _compare(node: ast.Compare) -> Node:
    parts: list[Node] = []
    left = _convert(node.left)
    for op, right_ast in zip(node.ops, node.comparators, strict=True):
        if isinstance(op, ast.In | ast.NotIn):
            if not isinstance(right_ast, ast.Tuple | ast.List | ast.Set):
                raise ExpressionError("'in' needs a literal list: x in ('a', 'b')")
            values = []
            for element in right_ast.elts:
                converted = _convert(element)
                if not isinstance(converted, Const):
                    raise ExpressionError("'in' lists may hold only literal values")
                values.append(converted.value)
            parts.append(In(left, tuple(values), isinstance(op, ast.NotIn)))
            if len(node.ops) > 1:
                raise ExpressionError("'in' cannot be chained with other comparisons")
            continue
        if type(op) not in COMPARISONS:
            raise ExpressionError(f"unsupported comparison {type(op).__name__}; use == != < <= > >= in")
        right = _convert(right_ast)
        parts.append(Compare(COMPARISONS[type(op)], left, right))
        left = right
    return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))


def names_in(node: Node) -> frozenset[str]:
    if isinstance(node, Name):
        return frozenset({node.id})
    if isinstance(node, Const):
        return frozenset()
    if isinstance(node, Unary):
        return names_in(node.arg)
    if isinstance(node, Binary | Compare):
        return names_in(node.left) | names_in(node.right)
    if isinstance(node, BoolOp | Call):
        out: frozenset[str] = frozenset()
        for arg in node.args:
            out |= names_in(arg)
        return out
    if isinstance(node, In):
        return names_in(node.arg)
    raise TypeError(node)


def render(node: Node) -> str:
    """A canonical text of the tree (used for hashing: spacing and redundant parentheses don't count)."""
    if isinstance(node, Name):
        return node.id
    if isinstance(node, Const):
        return repr(node.value)
    if isinstance(node, Unary):
        return f"({node.op} {render(node.arg)})"
    if isinstance(node, Binary | Compare):
        return f"({render(node.left)} {node.op} {render(node.right)})"
    if isinstance(node, BoolOp):
        return "(" + f" {node.op} ".join(render(a) for a in node.args) + ")"
    if isinstance(node, In):
        return f"({render(node.arg)} {'not in' if node.negated else 'in'} {node.values!r})"
    if isinstance(node, Call):
        return f"{node.func}(" + ", ".join(render(a) for a in node.args) + ")"
    raise TypeError(node)
