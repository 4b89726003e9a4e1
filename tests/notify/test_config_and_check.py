"""notify.yaml (environment references, errors that never echo a value) and `check` notifying once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.notify.servers import webhook_server
from tests.watch.facts import add
from tradewind.app import Workspace
from tradewind.core.errors import ConfigError
from tradewind.notify import Notifier, load_notify_config
from tradewind.watch import tables as t


def test_config_reads_secrets_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEISHU_HOOK", "https://open.feishu.cn/open-apis/bot/v2/hook/real-token")
    monkeypatch.setenv("FEISHU_SECRET", "s3cr3t")
    (tmp_path / "notify.yaml").write_text(
        "channels:\n  ops: {type: feishu, url: '${FEISHU_HOOK}', secret: '${FEISHU_SECRET}'}\n"
        "routes:\n  - {channels: [ops], min_severity: review}\n",
        encoding="utf-8",
    )
    config = load_notify_config(tmp_path)
    assert config is not None
    channel = config.channels["ops"]
    assert channel.url.get_secret_value().endswith("/real-token")  # type: ignore[union-attr]
    assert "real-token" not in repr(config) and "s3cr3t" not in repr(config)
    assert load_notify_config(tmp_path / "elsewhere") is None


def test_config_errors_name_the_field_not_the_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MISSING_HOOK", raising=False)
    (tmp_path / "notify.yaml").write_text(
        "channels:\n  ops: {type: wecom, url: '${MISSING_HOOK}'}\n", "utf-8"
    )
    with pytest.raises(ConfigError, match=r"notify.yaml.channels.ops.url refers to \$\{MISSING_HOOK\}"):
        load_notify_config(tmp_path)
    (tmp_path / "notify.yaml").write_text(
        "channels:\n  ops: {type: pager, url: 'https://x.test/very-secret-token'}\nroutes: [{channels: [nope]}]\n",
        "utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_notify_config(tmp_path)
    assert "very-secret-token" not in str(caught.value)
    assert "channels.ops" in str(caught.value)


def test_check_notifies_new_alerts_once(ws: Workspace) -> None:
    from tradewind.notify.config import NotifyConfig

    add(
        ws,
        "ad_performance",
        [{"marketplace": "DE", "date_from": date(2026, 3, 28), "sku": "S1", "spend": 100, "sales": 240}],
    )
    with webhook_server([(200, '{"errcode":0,"errmsg":"ok"}')]) as hook:
        config = NotifyConfig.model_validate(
            {
                "channels": {"wecom": {"type": "wecom", "url": f"{hook.url}/w"}},
                "routes": [{"rules": ["roas_*"], "channels": ["wecom"]}],
            }
        )
        notifier = Notifier(config, sleep=lambda s: None)
        first = ws.watch().check(date(2026, 3, 31), notifier=notifier)
        second = ws.watch().check(date(2026, 3, 31), notifier=notifier)
    roas_ids = sorted(a.id for a in first.new if a.rule_id.startswith("roas_"))
    assert len(roas_ids) == 4
    assert [d.alert_ids for d in first.deliveries] == [tuple(roas_ids)]
    assert second.deliveries == ()  # nothing new: nobody is told twice
    assert len(hook.requests) == 1
    alerts = ws.watch().alerts.by_ids(roas_ids)
    assert all(a.notified_at is not None for a in alerts)
    with ws.app.engine.connect() as con:
        rows = con.execute(select(t.deliveries.c.alert_id, t.deliveries.c.status)).all()
    assert sorted(rows) == [(i, "sent") for i in roas_ids]
