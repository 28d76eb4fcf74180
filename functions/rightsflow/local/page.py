"""The GDPR page (functions/rightsflow/page), served by the local stack at `/`."""

from __future__ import annotations

from importlib import resources

from werkzeug.wrappers import Request, Response

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json; charset=utf-8",
}


def serve_page(name: str) -> Response:
    """A file of the page (`locale/<language>.json`: its words in one language)."""
    file = resources.files("rightsflow").joinpath("page", *name.split("/"))
    if not file.is_file():
        return Response("not found", status=404)
    suffix = name[name.rfind(".") :]
    return Response(file.read_bytes(), content_type=_TYPES.get(suffix, "application/octet-stream"))


def serve_catalog(_: Request, path: dict[str, str]) -> Response:
    """The page's words in one language (`/locale/<language>.json`, a language we write)."""
    return serve_page(f"locale/{path['language']}.json")
