"""Where notifications go: the workspace's `notify.yaml` (channels, people, routes).

Webhook URLs and signing secrets are credentials (a Feishu or WeCom URL alone lets anyone post to the
group), so they are held as `SecretStr`: printing or logging the config shows `**********`. A value may
name an environment variable instead (`${FEISHU_SECRET}`), so the file itself can be shared.

```yaml
channels:
  ops-feishu: {type: feishu, url: "${FEISHU_HOOK}", secret: "${FEISHU_SECRET}", lang: zh}
  eu-dingtalk: {type: dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=${DING_TOKEN}", secret: "${DING_SECRET}"}
  team-wecom: {type: wecom, url: "${WECOM_HOOK}"}
  agency-slack: {type: slack, url: "${SLACK_HOOK}", lang: en}
  mail: {type: email, host: smtp.example.com, port: 587, starttls: true, username: alerts@example.com,
         password: "${SMTP_PASSWORD}", sender: alerts@example.com, to: [ops@example.com]}
people:
  li.wei: {email: li.wei@example.com, mobile: "13800000000", feishu_open_id: ou_0123456789abcdef,
           wecom_userid: LiWei, slack_user_id: U024BE7LH}
routes:
  - {rules: ["roas_*", plan_deviation], min_severity: review, channels: [ops-feishu, mail], mention_owner: true}
  - {channels: [team-wecom]}                  # every new alert
retry: {attempts: 4, backoff_seconds: 1.0, timeout_seconds: 10}
```
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from tradewind.core.errors import ConfigError
from tradewind.watch.model import Severity

NOTIFY_FILE = "notify.yaml"
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Webhook(_Strict):
    url: SecretStr
    lang: Literal["zh", "en"] = "zh"


class FeishuChannel(_Webhook):
    type: Literal["feishu"]
    #: The custom bot's signing secret (签名校验), if the bot has one.
    secret: SecretStr | None = None


class DingTalkChannel(_Webhook):
    type: Literal["dingtalk"]
    #: The robot's 加签 secret (starts with SEC), if the robot has one.
    secret: SecretStr | None = None


class WeComChannel(_Webhook):
    type: Literal["wecom"]


class SlackChannel(_Webhook):
    type: Literal["slack"]
    lang: Literal["zh", "en"] = "en"


class EmailChannel(_Strict):
    type: Literal["email"]
    host: str
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    username: str | None = None
    password: SecretStr | None = None
    sender: str
    to: tuple[str, ...] = ()
    lang: Literal["zh", "en"] = "zh"

    @model_validator(mode="after")
    def _tls(self) -> EmailChannel:
        if self.ssl and self.starttls:
            raise ValueError("choose ssl (port 465) or starttls (port 587), not both")
        return self


Channel = Annotated[
    FeishuChannel | DingTalkChannel | WeComChannel | SlackChannel | EmailChannel, Field(discriminator="type")
]


class Person(_Strict):
    email: str | None = None
    mobile: str | None = None  # DingTalk @ by mobile number
    feishu_open_id: str | None = None
    wecom_userid: str | None = None
    slack_user_id: str | None = None


class Route(_Strict):
    #: Rule ids or shell-style patterns (`roas_*`); empty: every rule.
    rules: tuple[str, ...] = ()
    min_severity: Severity = Severity.INFO
    channels: tuple[str, ...] = Field(min_length=1)
    #: @-mention the alert's owner (and email them, on an email channel).
    mention_owner: bool = True


class Retry(_Strict):
    attempts: int = Field(default=4, ge=1, le=10)
    backoff_seconds: float = Field(default=1.0, ge=0, le=60)
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)


class NotifyConfig(_Strict):
    channels: dict[str, Channel] = Field(default_factory=dict)
    people: dict[str, Person] = Field(default_factory=dict)
    routes: tuple[Route, ...] = ()
    retry: Retry = Retry()

    @model_validator(mode="after")
    def _known_channels(self) -> NotifyConfig:
        for i, route in enumerate(self.routes):
            unknown = [c for c in route.channels if c not in self.channels]
            if unknown:
                raise ValueError(f"routes[{i}] names unknown channel(s) {', '.join(unknown)}")
        return self


def _expand(value: Any, where: str, missing: list[str]) -> Any:
    if isinstance(value, str):

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in os.environ:
                missing.append(f"{where} refers to ${{{name}}}, which is not set in the environment")
                return ""
            return os.environ[name]

        return _ENV.sub(sub, value)
    if isinstance(value, dict):
        return {k: _expand(v, f"{where}.{k}", missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, f"{where}[{i}]", missing) for i, v in enumerate(value)]
    return value


def load_notify_config(folder: Path) -> NotifyConfig | None:
    """The workspace's notification config, or None when it has no `notify.yaml`."""
    path = folder / NOTIFY_FILE
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name} is not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    missing: list[str] = []
    data = _expand(data, path.name, missing)
    if missing:
        raise ConfigError("; ".join(missing))
    try:
        return NotifyConfig.model_validate(data)
    except ValidationError as exc:
        # Messages name the field, never the value: a value here may be a credential.
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path.name} is invalid: {problems}") from None
