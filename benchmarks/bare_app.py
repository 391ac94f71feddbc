"""The machine's ceiling: a FastAPI endpoint returning a fixed body, measured beside ours."""

from fastapi import FastAPI
from fastapi.responses import Response

app = FastAPI()
BODY = b'{"status":"ok"}'


@app.get("/bare")
def bare() -> Response:
    return Response(BODY, media_type="application/json")
