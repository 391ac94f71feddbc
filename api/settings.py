"""Configuration from the environment (documented in the README)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
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
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Base of links in emails and feeds"
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
