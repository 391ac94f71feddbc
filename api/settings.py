"""Configuration from the environment (documented in the README)."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///inspection-week.db",
        description="Any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db",
    )
    page_limit_max: int = Field(default=200, ge=1, description="Largest page a list returns")
    max_request_bytes: int = Field(default=5_000_000, description="Larger bodies get 413")
    cors_origins: list[str] = Field(default_factory=list, description="Closed unless listed")
    operator_token_hash: str | None = Field(
        default=None,
        description="SHA-256 of the operator token that creates local areas "
        "(`inspection-week token operator` makes one)",
    )
    worker_threads: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description="Threads for blocking work (queries, files); default 4 on SQLite, 40 else",
    )
    token_cache_s: float = Field(
        default=5.0,
        ge=0,
        description="Seconds a process trusts a token it has checked; a revocation is seen at "
        "once by the process that made it and within this time by the others (0: check always)",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Base of links in emails and feeds"
    )

    # Calendar invitations and feeds (issue 5). Without smtp_host, invitations wait in the outbox.
    smtp_host: str | None = Field(default=None, description="Mail server; unset = no sending")
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = Field(default=True, description="Upgrade the connection with STARTTLS")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    mail_from: str | None = Field(
        default=None,
        description="Sender, e.g. 'Inspection Week <invites@council.example>'; default: organiser",
    )
    rsvp_secret: SecretStr | None = Field(
        default=None, description="Key that signs accept/decline links; unset = no links"
    )
    feed_refresh: timedelta = Field(
        default=timedelta(hours=1), description="How often feed clients poll (ISO 8601, PT1H)"
    )
    note_taker_role: Literal["CHAIR", "REQ-PARTICIPANT"] = Field(
        default="CHAIR", description="iCalendar ROLE of a meeting's note-taker"
    )
    online_meeting_url: str | None = Field(
        default=None, description="Link written as LOCATION of online items"
    )
    outbox_poll_s: float = Field(default=10.0, gt=0, description="Sender wakes this often")
    outbox_max_attempts: int = Field(default=8, ge=1, description="Then the message is failed")
    outbox_retry_base_s: float = Field(default=60.0, gt=0, description="First retry delay")
    outbox_stuck_after_s: float = Field(
        default=600.0, gt=0, description="A 'sending' row older than this is from a dead sender"
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
