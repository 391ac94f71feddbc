"""Schemathesis against the OpenAPI schema: no input may cause a 5xx or break the schema.

A bounded number of generated requests per operation keeps the suite quick; every request
is authenticated as the operator, so it reaches the route's own validation. The app runs on
its own migrated SQLite file with one local area, so ids in paths sometimes exist.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from api.app import create_app
from api.auth import hash_token
from api.database import migrate
from api.settings import Settings

EXAMPLES_PER_OPERATION = 6
TOKEN = "iw_fuzz-operator"


def _app() -> Any:
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'fuzz.db'}"
    migrate(url)
    app = create_app(Settings(database_url=url, operator_token_hash=hash_token(TOKEN)))
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        client.post("/api/v1/areas", json={"name": "Fuzzshire", "code": "fuzzshire"})
    return app


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_request_causes_a_server_error_or_a_response_outside_the_schema(case: Any) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
