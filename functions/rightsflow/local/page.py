"""The GDPR page (functions/rightsflow/page), served by the local stack at `/`."""

from __future__ import annotations

from importlib import resources

from werkzeug.wrappers import Response

_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript"}


def serve_page(name: str) -> Response:
    file = resources.files("rightsflow").joinpath("page", name)
    if not file.is_file():
        return Response("not found", status=404)
    suffix = name[name.rfind(".") :]
    return Response(file.read_bytes(), content_type=_TYPES.get(suffix, "application/octet-stream"))
