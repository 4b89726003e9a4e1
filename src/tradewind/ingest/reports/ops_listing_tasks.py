"""Listing launch tasks (template `listing_tasks`, CSV or XLSX): the team's own launch plan.

One row per task: which SKU goes live in which marketplace, who owns it, the planned day, the day it
went live, and its status. Listings launched per week counts launch days; the on-time launch rate
counts a task as on time when it went live on or before its planned day, as late when it went live
after it or is still not live after it (as of `--date`, or the import day), and leaves out tasks not
yet due and cancelled ones (a cancelled task is no longer planned). The tasks are written twice: to
`listing_tasks` (dated by the planned day, for the on-time rate) and `listing_launches` (dated by the
launch day, for launches per week), since a fact is dated one way.

Status is one of planned, in_progress, launched, on_hold, cancelled, in English or Chinese; a status
that contradicts the dates (launched without a launch day, cancelled with one) rejects the file.
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.ingest.reports.ops_common import (
    ACCOUNT_COLUMN,
    NOT_A_NUMBER,
    NOT_A_NUMBER_HINT,
    TeamSheet,
    as_of_date_sql,
    dated_column,
    header,
    marketplace_column,
    record_range,
    row_marketplace_sql,
    sku_column,
    text_sql,
    unknown_check,
    words_sql,
)
from tradewind.ingest.spec import Field, ImportContext, RowCheck
from tradewind.ingest.templates import column
from tradewind.ingest.values import Kind

T, DT = Kind.TEXT, Kind.DATE

#: Canonical status -> the words sheets use for it (compared case-insensitively).
STATUSES: dict[str, tuple[str, ...]] = {
    "planned": ("planned", "not started", "todo", "to do", "计划", "计划中", "待上架", "未开始"),
    "in_progress": ("in_progress", "in progress", "wip", "doing", "进行中", "上架中", "处理中"),
    "launched": ("launched", "live", "done", "completed", "已上架", "已完成", "完成", "上架"),
    "on_hold": ("on_hold", "on hold", "paused", "blocked", "暂停", "搁置"),
    "cancelled": ("cancelled", "canceled", "已取消", "取消"),
}


def status_sql(expr: str) -> str:
    return words_sql(expr, STATUSES)


class ListingTasks(TeamSheet):
    id = "listing_tasks"
    title = "Listing launch tasks"
    template_name = "listing_tasks"
    produces = ("listing_tasks", "listing_launches")
    as_of_what = "launches not yet live"
    fields: ClassVar[tuple[Field, ...]] = (
        column(
            "task",
            T,
            "task",
            "任务",
            also=("task id", "task name", "任务编号", "任务名称"),
            help_en="Task id or name (optional; needed when one SKU has several tasks in a marketplace).",
            help_zh="任务编号或名称（可选；同一站点同一SKU有多个任务时必填）。",
            example="LT-2026-014",
        ),
        ACCOUNT_COLUMN,
        sku_column("The seller SKU being launched.", "要上架的卖家SKU。", required=True, msku=True),
        marketplace_column(example="FR"),
        column(
            "owner",
            T,
            "owner",
            "负责人",
            also=("运营", "assignee", "运营负责人"),
            pattern=NOT_A_NUMBER,
            pattern_hint=NOT_A_NUMBER_HINT,
            help_en="The person responsible for the launch.",
            help_zh="负责该上架任务的人员。",
            example="Li Na",
        ),
        dated_column(
            "planned_date",
            DT,
            "计划上架日期",
            also=("planned launch date", "planned launch", "计划日期", "计划上线日期"),
            required=True,
            not_null=True,
            help_en="The planned launch day:",
            help_zh="计划上架日期：",
            example="2026-03-10",
        ),
        dated_column(
            "launched_date",
            DT,
            "实际上架日期",
            also=("launched", "launch date", "go-live date", "上架日期", "实际上线日期"),
            required=True,
            help_en="The day the listing went live; blank while not live.",
            help_zh="实际上架日期；尚未上架则留空。",
            example="2026-03-12",
        ),
        column(
            "status",
            T,
            "status",
            "状态",
            also=("任务状态",),
            help_en="planned, in_progress, launched, on_hold or cancelled. Blank: launched when it has a "
            "launch day, else planned.",
            help_zh="计划中、进行中、已上架、暂停或已取消（也可填英文）。留空：有上架日期为已上架，否则为计划中。",
            example="launched",
        ),
    )

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        checks = self.scope_checks(ctx)
        if ctx.job.has("status"):
            expected = f"one of {', '.join(STATUSES)} (or 计划中, 进行中, 已上架, 暂停, 已取消)"
            checks += [
                unknown_check(ctx, "status", status_sql, "status", expected),
                RowCheck(
                    f"{status_sql('status')} = 'launched' AND launched_date IS NULL",
                    "the task is marked launched but has no launch day",
                    column=header(ctx, "launched_date"),
                    value_sql="status",
                    expected="the day the listing went live",
                ),
                RowCheck(
                    f"{status_sql('status')} = 'cancelled' AND launched_date IS NOT NULL",
                    "the task is marked cancelled but has a launch day",
                    column=header(ctx, "status"),
                    value_sql="status",
                    expected="launched (it went live) or no launch day",
                ),
            ]
        checks.append(
            self.future_day_check(
                ctx, "launched_date", "the launch day", "a day the listing actually went live"
            )
        )
        return checks

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        zone = ctx.job.zone_case("marketplace")
        status = status_sql("status") if ctx.job.has("status") else "NULL"
        rows = f"""
        SELECT _row, {row_marketplace_sql(ctx)} AS marketplace, {text_sql("task")} AS task,
               {text_sql("sku")} AS sku, {text_sql("owner")} AS owner, planned_date, launched_date,
               coalesce({status}, CASE WHEN launched_date IS NOT NULL THEN 'launched' ELSE 'planned' END)
                 AS status
        FROM {ctx.typed}
        """
        sql = f"""
        SELECT marketplace, _row AS source_row, task, sku, owner, planned_date, launched_date, status,
               is_cancelled, as_of_date,
               (NOT is_cancelled AND (launched_date IS NOT NULL OR planned_date < as_of_date)) AS launch_due,
               CASE WHEN is_cancelled THEN NULL
                    WHEN launched_date IS NOT NULL THEN launched_date <= planned_date
                    WHEN planned_date < as_of_date THEN false END AS launched_on_time,
               CAST(CASE WHEN launched_date IS NOT NULL THEN launched_date - planned_date
                         WHEN NOT is_cancelled AND planned_date < as_of_date THEN as_of_date - planned_date
                    END AS INTEGER) AS delay_days
        FROM (
          SELECT *, status = 'cancelled' AS is_cancelled, {as_of_date_sql(ctx, zone)} AS as_of_date
          FROM ({rows})
        )
        """
        record_range(ctx, sql, "planned_date")
        launches = f"""
        SELECT marketplace, source_row, task, sku, owner, launched_date, planned_date, launched_on_time
        FROM ({sql})
        """
        return {"listing_tasks": sql, "listing_launches": launches}


REPORTS = [ListingTasks()]
