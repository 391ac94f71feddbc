"""Bearer-token authentication and role checks for every /api/v1 route.

Tokens belong to one local area; a token never sees another area (its routes answer 404,
as if the area did not exist). The deployment's operator token (OPERATOR_TOKEN) creates
local areas and their first admin token; it is compared against its hash only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request
from sqlmodel import Session, select

from api.problems import ProblemError
from models.api_token import ApiToken, TokenRole

TOKEN_PREFIX = "iw_"
OPEN_PATHS = ("/api/v1/health", "/api/v1/feeds/", "/api/v1/rsvp/")
ADMIN_SEGMENTS = ("tokens", "audit")
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class Unauthorized(ProblemError):
    status = 401
    title = "Unauthorized"


class Forbidden(ProblemError):
    status = 403
    title = "Forbidden"


@dataclass(frozen=True)
class Principal:
    """Who is calling: an area's token, or the operator (every area)."""

    name: str
    role: TokenRole
    local_area_id: int | None  # None = operator

    @property
    def is_operator(self) -> bool:
        return self.local_area_id is None

    def can_see(self, area_id: int) -> bool:
        return self.is_operator or self.local_area_id == area_id


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def issue_token(session: Session, area_id: int, name: str, role: TokenRole) -> tuple[ApiToken, str]:
    """Create a token; the plain text is returned once and never stored."""
    token = new_token()
    row = ApiToken(
        local_area_id=area_id,
        name=name,
        role=role,
        token_hash=hash_token(token),
        prefix=token[:10],
    )
    session.add(row)
    return row, token


def identify(session: Session, token: str, operator_hash: str | None) -> Principal | None:
    digest = hash_token(token)
    if operator_hash and hmac.compare_digest(digest, operator_hash):
        return Principal(name="operator", role=TokenRole.ADMIN, local_area_id=None)
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
    if row is None or row.revoked_at is not None:
        return None
    return Principal(
        name=f"token {row.id} ({row.name})", role=row.role, local_area_id=row.local_area_id
    )


def required_role(method: str, path: str) -> TokenRole:
    segments = path.strip("/").split("/")
    if any(segment in ADMIN_SEGMENTS for segment in segments):
        return TokenRole.ADMIN
    if method in READ_METHODS:
        return TokenRole.VIEWER
    # The area itself (its name, code, time zone): an admin's, like its tokens.
    if segments[-2:-1] == ["areas"]:
        return TokenRole.ADMIN
    return TokenRole.COORDINATOR


def is_open(path: str) -> bool:
    return any(path == p.rstrip("/") or path.startswith(p) for p in OPEN_PATHS)


def bearer_token(request: Request) -> str:
    """The request's bearer token, or 401."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("send an API token: Authorization: Bearer <token>")
    return value.strip()


def admit(request: Request, principal: Principal | None) -> None:
    """Let the caller through if its role allows the method and path; remember who it is."""
    if principal is None:
        raise Unauthorized("the token is unknown or revoked")
    needed = required_role(request.method, request.url.path)
    if principal.role.rank < needed.rank:
        raise Forbidden(f"this needs the {needed.value} role; the token has {principal.role.value}")
    request.state.principal = principal
