"""Notifications: alerts to Feishu, DingTalk, WeCom and Slack group bots and to email, routed per rule to
the people who own them."""

from __future__ import annotations

from tradewind.notify.config import NotifyConfig, load_notify_config
from tradewind.notify.dispatch import Delivery, Notifier, record_deliveries

__all__ = ["Delivery", "Notifier", "NotifyConfig", "load_notify_config", "record_deliveries"]
