"""The outside world the local stack talks to, served on 127.0.0.1: a vendor whose API is an
external data store (a stand-in for HubSpot's), and (later) Brands' webhook receivers. Every
call is checked for a valid signature, as the real parties would."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from rightsflow.domain.canonical import Identifier, canonical_or_none
from rightsflow.integration.signing import is_authentic


class _QuietRequests(WSGIRequestHandler):
    """The stand-ins for Brands' and vendors' servers log no access line per delivery (what
    they received is at `/_local/webhooks`); errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@dataclass
class FakeVendor:
    """A vendor's privacy API over its contact list: find, delete, anonymise, update."""

    contacts: list[dict[str, Any]] = field(default_factory=list)
    secret: str | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: Request) -> Response:
        body = request.get_data()
        if self.secret is None or not is_authentic(self.secret, dict(request.headers), body):
            return Response(
                '{"error": "bad signature"}', status=401, content_type="application/json"
            )
        call = json.loads(body)
        with self._lock:
            self.calls.append(call)
            result = self._act(call)
        return Response(json.dumps(result), content_type="application/json")

    def _act(self, call: dict[str, Any]) -> dict[str, Any]:
        action = call.get("action")
        if action == "find":
            # The vendor's side of the contract: it matches the canonical form we send,
            # whatever spelling its contact list holds.
            emails = set(call.get("lookup", {}).get("email", []))
            return {
                "records": [
                    c
                    for c in self.contacts
                    if canonical_or_none(Identifier.EMAIL, c["data"].get("email")) in emails
                ]
            }
        target = next((c for c in self.contacts if c["key"] == call.get("key")), None)
        if target is None:
            return {"changed": False}
        if action == "delete":
            self.contacts.remove(target)
        elif action == "anonymise":
            target["data"].update(dict.fromkeys(call.get("blank", []), ""))
        elif action == "update":
            target["data"].update(call.get("set", {}))
        return {"changed": True}


@dataclass
class BrandReceiver:
    """A Brand's webhook endpoint: checks the signature made with the Brand's own secret and
    keeps what arrived; `fail_next` simulates an outage."""

    brand: str
    secret: str | None = None
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    refused: int = 0
    failures_left: int = 0
    failing_event: str | None = None  # fail only deliveries of this event (None: any)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, times: int, event: str | None = None) -> None:
        """Answer 503 to the next `times` deliveries (of `event`, if given): an outage."""
        with self._lock:
            self.failures_left, self.failing_event = times, event

    def handle(self, request: Request) -> Response:
        body = request.get_data()
        with self._lock:
            event = json.loads(body or b"{}").get("event") if body else None
            if self.failures_left > 0 and self.failing_event in (None, event):
                self.failures_left -= 1
                return Response('{"error": "temporarily down"}', status=503)
            if self.secret is None or not is_authentic(self.secret, dict(request.headers), body):
                self.refused += 1
                return Response('{"error": "bad signature"}', status=401)
            self.deliveries.append(json.loads(body))
        return Response('{"received": true}', content_type="application/json")


@dataclass
class Peers:
    hubspot: FakeVendor = field(default_factory=FakeVendor)
    brands: dict[str, BrandReceiver] = field(default_factory=dict)
    server: BaseWSGIServer | None = None

    def __post_init__(self) -> None:
        self.url_map = Map(
            [
                Rule("/vendors/hubspot", methods=["POST"], endpoint="hubspot"),
                Rule("/brands/<brand>", methods=["POST"], endpoint="brand"),
            ]
        )

    def brand(self, name: str) -> BrandReceiver:
        return self.brands.setdefault(name, BrandReceiver(name))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        try:
            endpoint, arguments = self.url_map.bind_to_environ(environ).match()
        except Exception:
            return Response("not found", status=404)(environ, start_response)
        if endpoint == "brand":
            receiver = self.brands.get(arguments["brand"])
            if receiver is None:
                return Response("no such brand", status=404)(environ, start_response)
            return receiver.handle(request)(environ, start_response)
        return self.hubspot.handle(request)(environ, start_response)

    def deliveries(self) -> dict[str, list[dict[str, Any]]]:
        return {name: list(receiver.deliveries) for name, receiver in self.brands.items()}

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> None:
        self.server = make_server(
            "127.0.0.1", 0, self, threaded=True, request_handler=_QuietRequests
        )
        threading.Thread(target=self.server.serve_forever, name="peers", daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
