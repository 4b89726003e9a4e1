"""Plans in the app database (SQLAlchemy Core: SQLite by default, PostgreSQL for a shared server).

The tables come from migration `app/0002_plans.sql`; this module only reads and writes them. A version
is written whole in one transaction, so a plan is never half-saved.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError

from tradewind.plan.amounts import PlanError
from tradewind.plan.model import (
    DIM_LEVELS,
    Cell,
    LevelTarget,
    Plan,
    PlanHeader,
    PlanSettings,
    PlanVersion,
)

_meta = MetaData()

plans_t = Table(
    "plans",
    _meta,
    Column("name", String(100), primary_key=True),
    Column("kpi", String(100)),
    Column("kind", String(20)),
    Column("plan_year", Integer),
    Column("start_month", Integer),
    Column("currency", String(3)),
    Column("unit", String(20)),
    Column("scale", Integer),
    Column("levels", String(200)),
    Column("owner", String(200)),
    Column("status", String(20)),
    Column("created_at", DateTime),
    Column("created_by", String(200)),
)
versions_t = Table(
    "plan_versions",
    _meta,
    Column("plan_name", String(100), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("created_at", DateTime),
    Column("created_by", String(200)),
    Column("reason", Text),
    Column("effective_from", Date),
    Column("kpi_version", String(100)),
    Column("total_minor", BigInteger),
    Column("data_source", Text),
    Column("settings", Text),
    Column("diff", Text),
)
cells_t = Table(
    "plan_cells",
    _meta,
    Column("plan_name", String(100), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("marketplace", String(20), primary_key=True),
    Column("channel", String(100), primary_key=True),
    Column("sku", String(200), primary_key=True),
    Column("person", String(200), primary_key=True),
    Column("amount_minor", BigInteger),
    Column("held", Boolean),
)
levels_t = Table(
    "plan_level_targets",
    _meta,
    Column("plan_name", String(100), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("kpi", String(100), primary_key=True),
    Column("kpi_version", String(100)),
    Column("scope", String(500), primary_key=True),
    Column("period", String(20), primary_key=True),
    Column("comparator", String(10)),
    Column("value", Float),
    Column("upper_value", Float),
    Column("owner", String(200)),
    Column("data_source", Text),
    Column("gate", Boolean),
)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class PlanStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- reading ------------------------------------------------------------------------------------
    def names(self, *, include_archived: bool = False) -> list[str]:
        query = select(plans_t.c.name).order_by(plans_t.c.name)
        if not include_archived:
            query = query.where(plans_t.c.status == "active")
        with self._reading() as con:
            return [row[0] for row in con.execute(query)]

    def exists(self, name: str) -> bool:
        with self._reading() as con:
            return con.execute(select(plans_t.c.name).where(plans_t.c.name == name)).first() is not None

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A connection for reading; a workspace whose app database predates plans says how to upgrade."""
        with self.engine.connect() as con:
            try:
                con.execute(select(plans_t.c.name).limit(1)).first()
            except DBAPIError:
                raise PlanError(
                    "this workspace's app database has no plan tables yet: open it once for writing (for "
                    "example 'tradewind plan create ...') to upgrade it"
                ) from None
            yield con

    def header(self, name: str) -> PlanHeader:
        with self._reading() as con:
            row = con.execute(select(plans_t).where(plans_t.c.name == name)).mappings().first()
        if row is None:
            known = ", ".join(self.names()) or "none yet"
            raise PlanError(
                f"no plan named {name!r} (plans: {known}); create one with 'tradewind plan create'"
            )
        return PlanHeader(
            name=row["name"],
            kpi=row["kpi"],
            year=int(row["plan_year"]),
            currency=row["currency"],
            unit=row["unit"],
            scale=int(row["scale"]),
            levels=tuple(x for x in str(row["levels"]).split(",") if x),
            owner=row["owner"],
            status=row["status"],
            created_at=row["created_at"],
            created_by=row["created_by"],
            start_month=int(row["start_month"]),
            kind=row["kind"],
        )

    def load(self, name: str, *, versions: Iterable[int] | None = None) -> Plan:
        """The plan with its versions (all, or the numbers asked), each with its cells and level targets."""
        header = self.header(name)
        wanted = set(versions) if versions is not None else None
        with self.engine.connect() as con:
            vrows = list(
                con.execute(
                    select(versions_t).where(versions_t.c.plan_name == name).order_by(versions_t.c.version)
                ).mappings()
            )
            if wanted is not None:
                vrows = [r for r in vrows if r["version"] in wanted]
            numbers = [int(r["version"]) for r in vrows]
            cells: dict[int, list[Cell]] = defaultdict(list)
            dims = [c for c in ("marketplace", "channel", "sku", "person") if c in header.levels]
            for r in con.execute(
                select(cells_t)
                .where(cells_t.c.plan_name == name, cells_t.c.version.in_(numbers))
                .order_by(cells_t.c.version, cells_t.c.month, *[cells_t.c[d] for d in DIM_LEVELS])
            ).mappings():
                key = tuple(str(r[d]) for d in dims)
                cells[int(r["version"])].append(
                    Cell(r["month"], key, int(r["amount_minor"]), bool(r["held"]))
                )
            targets: dict[int, list[LevelTarget]] = defaultdict(list)
            for r in con.execute(
                select(levels_t)
                .where(levels_t.c.plan_name == name, levels_t.c.version.in_(numbers))
                .order_by(levels_t.c.version, levels_t.c.kpi, levels_t.c.scope, levels_t.c.period)
            ).mappings():
                targets[int(r["version"])].append(
                    LevelTarget(
                        kpi=r["kpi"],
                        kpi_version=r["kpi_version"],
                        scope=tuple((str(k), str(v)) for k, v in json.loads(r["scope"])),
                        period=r["period"],
                        comparator=r["comparator"],
                        value=float(r["value"]),
                        upper=None if r["upper_value"] is None else float(r["upper_value"]),
                        owner=r["owner"],
                        data_source=r["data_source"],
                        gate=bool(r["gate"]),
                    )
                )
        out = []
        for r in vrows:
            number = int(r["version"])
            out.append(
                PlanVersion(
                    plan=name,
                    version=number,
                    created_at=r["created_at"],
                    created_by=r["created_by"],
                    reason=r["reason"],
                    effective_from=r["effective_from"],
                    kpi_version=r["kpi_version"],
                    total=int(r["total_minor"]),
                    data_source=r["data_source"],
                    settings=PlanSettings.model_validate_json(r["settings"]),
                    cells=tuple(cells[number]),
                    level_targets=tuple(targets[number]),
                    diff=json.loads(r["diff"]) if r["diff"] else None,
                )
            )
        if not out:
            raise PlanError(f"plan {name!r} has no versions")
        return Plan(header, tuple(out))

    # -- writing ------------------------------------------------------------------------------------
    def create(self, header: PlanHeader, first: PlanVersion) -> None:
        if self.exists(header.name):
            raise PlanError(
                f"a plan named {header.name!r} already exists; revise it with 'tradewind plan revise' "
                "or choose another name"
            )
        with self.engine.begin() as con:
            con.execute(
                insert(plans_t).values(
                    name=header.name,
                    kpi=header.kpi,
                    kind=header.kind,
                    plan_year=header.year,
                    start_month=header.start_month,
                    currency=header.currency,
                    unit=header.unit,
                    scale=header.scale,
                    levels=",".join(header.levels),
                    owner=header.owner,
                    status=header.status,
                    created_at=header.created_at,
                    created_by=header.created_by,
                )
            )
            self._write_version(con, header, first)

    def add_version(self, header: PlanHeader, version: PlanVersion) -> None:
        with self.engine.begin() as con:
            current = con.execute(
                select(func.max(versions_t.c.version)).where(versions_t.c.plan_name == header.name)
            ).scalar()
            if int(current or 0) + 1 != version.version:
                raise PlanError(
                    f"plan {header.name!r} changed while this version was being made (it is at version "
                    f"{current}); run the command again"
                )
            self._write_version(con, header, version)

    def set_owner(self, name: str, owner: str | None) -> None:
        with self.engine.begin() as con:
            con.execute(update(plans_t).where(plans_t.c.name == name).values(owner=owner))

    def _write_version(self, con: Connection, header: PlanHeader, v: PlanVersion) -> None:
        con.execute(
            insert(versions_t).values(
                plan_name=header.name,
                version=v.version,
                created_at=v.created_at,
                created_by=v.created_by,
                reason=v.reason,
                effective_from=v.effective_from,
                kpi_version=v.kpi_version,
                total_minor=v.total,
                data_source=v.data_source,
                settings=v.settings.model_dump_json(),
                diff=json.dumps(v.diff, ensure_ascii=False, sort_keys=True) if v.diff is not None else None,
            )
        )
        dims = header.levels
        rows = []
        for cell in v.cells:
            values = dict(zip(dims, cell.key, strict=True))
            rows.append(
                {
                    "plan_name": header.name,
                    "version": v.version,
                    "month": cell.month,
                    "marketplace": values.get("marketplace", ""),
                    "channel": values.get("channel", ""),
                    "sku": values.get("sku", ""),
                    "person": values.get("person", ""),
                    "amount_minor": cell.amount,
                    "held": cell.held,
                }
            )
        if rows:
            con.execute(insert(cells_t), rows)
        targets = [
            {
                "plan_name": header.name,
                "version": v.version,
                "kpi": t.kpi,
                "kpi_version": t.kpi_version,
                "scope": json.dumps([list(p) for p in t.scope], ensure_ascii=False),
                "period": t.period,
                "comparator": t.comparator,
                "value": t.value,
                "upper_value": t.upper,
                "owner": t.owner,
                "data_source": t.data_source,
                "gate": t.gate,
            }
            for t in v.level_targets
        ]
        if targets:
            con.execute(insert(levels_t), targets)
