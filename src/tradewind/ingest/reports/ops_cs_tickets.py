"""Customer-service tickets (template `cs_tickets`, CSV or XLSX; a help-desk export with these headers).

One row per ticket: when the buyer's message arrived, when the team first replied, whether it needs a
reply at all. The 24-hour reply rate (kpis.md, Service) counts an unanswered ticket as a miss once it
has waited more than 24 hours and as pending before that, so *when* the export was taken matters: each
row stores that moment (`as_of_ts`: the end of `--date`, or the import time) and how long an open
ticket had waited then (`open_hours`). The 24 hours themselves are the KPI's rule, in the catalog.

A reply before the message it answers, a time after the export, an unknown marketplace or a language
that is not one (a number pasted into the column) reject the file with row, column and value.
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.ingest.reports.ops_common import (
    ACCOUNT_COLUMN,
    LANGUAGE_HINT,
    NOT_A_NUMBER,
    NOT_A_NUMBER_HINT,
    TeamSheet,
    as_of_sql,
    dated_column,
    language_sql,
    marketplace_column,
    record_range,
    row_marketplace_sql,
    text_sql,
    unknown_check,
)
from tradewind.ingest.spec import Field, ImportContext, RowCheck
from tradewind.ingest.templates import column
from tradewind.ingest.values import Kind

T, TS, B = Kind.TEXT, Kind.TIMESTAMP, Kind.BOOLEAN


class CsTickets(TeamSheet):
    id = "cs_tickets"
    title = "Customer-service tickets"
    template_name = "cs_tickets"
    produces = ("cs_tickets",)
    as_of_what = "unanswered tickets"
    fields: ClassVar[tuple[Field, ...]] = (
        column(
            "ticket_id",
            T,
            "ticket_id",
            "工单号",
            also=("ticket", "ticket no", "case id", "工单编号", "工单ID"),
            required=True,
            not_null=True,
            help_en="The ticket's id in your help desk (unique per account).",
            help_zh="客服系统中的工单编号（同一店铺内唯一）。",
            example="T-100231",
        ),
        ACCOUNT_COLUMN,
        marketplace_column(example="DE", also=("sales channel",)),
        column(
            "language",
            T,
            "language",
            "语言",
            also=("lang", "buyer language", "买家语言"),
            pattern=NOT_A_NUMBER,
            pattern_hint=NOT_A_NUMBER_HINT,
            help_en="The buyer's language: a code (en, de, fr, it, es...) or a name (German, Deutsch, 德语).",
            help_zh="买家使用的语言：语言代码（en、de、fr、it、es等）或名称（German、Deutsch、德语）。",
            example="de",
        ),
        column(
            "channel",
            T,
            "channel",
            "渠道",
            also=("source", "来源", "联系渠道"),
            pattern=NOT_A_NUMBER,
            pattern_hint=NOT_A_NUMBER_HINT,
            help_en="Where the message came from: email, buyer-seller messaging, chat, phone...",
            help_zh="消息来源：邮件、买家消息、在线聊天、电话等。",
            example="buyer-seller messaging",
        ),
        dated_column(
            "received_at",
            TS,
            "收到时间",
            also=("received", "created at", "created", "创建时间", "接收时间"),
            required=True,
            not_null=True,
            help_en="When the buyer's message arrived:",
            help_zh="买家消息到达时间：",
            example="2026-03-02 09:15",
        ),
        dated_column(
            "first_reply_at",
            TS,
            "首次回复时间",
            also=("first reply", "first response at", "first replied at", "首次响应时间"),
            required=True,
            help_en="When the team first replied; blank while unanswered.",
            help_zh="首次回复买家的时间；未回复则留空。",
            example="2026-03-02 15:40",
        ),
        dated_column(
            "resolved_at",
            TS,
            "解决时间",
            also=("solved at", "closed at", "关闭时间", "结案时间"),
            help_en="When the ticket was resolved; blank while open.",
            help_zh="工单解决时间；未解决则留空。",
            example="2026-03-03 10:00",
        ),
        column(
            "needs_reply",
            B,
            "needs_reply",
            "需要回复",
            also=("reply needed", "是否需要回复"),
            help_en="yes/no: does the message need an answer? Blank means yes (a thank-you needs none).",
            help_zh="是/否：该消息是否需要回复？留空视为需要。买家致谢等无需回复。",
            example="yes",
        ),
    )

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        checks = self.scope_checks(ctx)
        if ctx.job.has("language"):
            checks.append(unknown_check(ctx, "language", language_sql, "language", LANGUAGE_HINT))
        checks.append(
            self.order_check(
                ctx, "received_at", "first_reply_at", "the first reply is before the message arrived"
            )
        )
        if ctx.job.has("resolved_at"):
            checks.append(
                self.order_check(ctx, "received_at", "resolved_at", "resolved before the message arrived")
            )
        checks.append(self.future_check(ctx, "received_at", "the time received"))
        checks.append(self.future_check(ctx, "first_reply_at", "the first reply"))
        if ctx.job.has("resolved_at"):
            checks.append(self.future_check(ctx, "resolved_at", "the time resolved"))
        return checks

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        zone = ctx.job.zone_case("marketplace")
        rows = f"""
        SELECT _row, {row_marketplace_sql(ctx)} AS marketplace, ticket_id, language, channel, needs_reply,
               {self.instant(ctx, "received_at")} AS received_ts,
               {self.instant(ctx, "first_reply_at")} AS first_reply_ts,
               {self.instant(ctx, "resolved_at")} AS resolved_ts
        FROM {ctx.typed}
        """
        sql = f"""
        SELECT marketplace, _row AS source_row, {text_sql("ticket_id")} AS ticket_id,
               lower({text_sql("channel")}) AS channel, {language_sql("language")} AS language,
               received_ts, CAST(timezone({zone}, received_ts) AS DATE) AS received_date,
               first_reply_ts, resolved_ts, coalesce(needs_reply, true) AS needs_reply,
               as_of_ts,
               (epoch(first_reply_ts) - epoch(received_ts)) / 3600.0 AS first_reply_hours,
               CASE WHEN first_reply_ts IS NULL THEN (epoch(as_of_ts) - epoch(received_ts)) / 3600.0 END
                 AS open_hours
        FROM (SELECT *, {as_of_sql(ctx, zone)} AS as_of_ts FROM ({rows}))
        """
        record_range(ctx, sql, "received_date")
        return {"cs_tickets": sql}


REPORTS = [CsTickets()]
