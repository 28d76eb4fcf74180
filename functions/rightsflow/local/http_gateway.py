"""The template's HTTP API served on 127.0.0.1, as API Gateway would serve it.

Routes come from the OpenAPI body that SAM generates for each AWS::ApiGatewayV2::Api (the same
document API Gateway imports), so a route added to template.yaml is served here with no other
change. Each request becomes a genuine HTTP API payload-format-2.0 event and is handed to the
route's Lambda function through moto's Lambda API.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from rightsflow.local.stack import LocalStack

_log = logging.getLogger("rightsflow.local.gateway")
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway HTTP API's own limit
DEFAULT_ROUTE = "$default"  # the route API Gateway hands whatever no other route matches
_FUNCTION_IN_URI = re.compile(r"\$\{([A-Za-z0-9]+)\.Arn\}")
_PATH_PARAMETER = re.compile(r"\{([A-Za-z0-9_]+)(\+?)\}")

LocalHandler = Callable[[Request, dict[str, str]], Response]


@dataclass(frozen=True)
class Route:
    method: str  # GET, POST, ... or ANY
    path: str  # as written in the template, e.g. /requests/{request_id}
    function_logical_id: str
    authorizer: str | None = None  # the security scheme guarding it, if any

    @property
    def route_key(self) -> str:
        return DEFAULT_ROUTE if self.path == DEFAULT_ROUTE else f"{self.method} {self.path}"

    @property
    def werkzeug_path(self) -> str:
        def convert(match: re.Match[str]) -> str:
            name, greedy = match.group(1), match.group(2)
            return f"<path:{name}>" if greedy else f"<{name}>"

        return _PATH_PARAMETER.sub(convert, self.path)


@dataclass(frozen=True)
class Cors:
    allow_origins: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    allow_headers: tuple[str, ...] = ()
    max_age: int = 0

    def headers_for(self, origin: str | None) -> dict[str, str]:
        if not origin or not ("*" in self.allow_origins or origin in self.allow_origins):
            return {}
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


@dataclass
class Throttle:
    """API Gateway's route throttling, a token bucket: `burst` calls at once, refilled at `rate`
    per second; a call finding the bucket empty is answered 429 before reaching any function."""

    rate: float
    burst: int
    _tokens: float = -1.0
    _at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._tokens < 0:
                self._tokens, self._at = float(self.burst), now
            self._tokens = min(float(self.burst), self._tokens + (now - self._at) * self.rate)
            self._at = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True


def throttles_from_template(
    stage: dict[str, Any] | None, resolve: Callable[[Any], Any]
) -> tuple[dict[str, float] | None, dict[str, dict[str, float]]]:
    """The stage's DefaultRouteSettings and per-route RouteSettings limits, resolved."""
    properties = (stage or {}).get("Properties", {})

    def limits(settings: dict[str, Any] | None) -> dict[str, float] | None:
        if not settings or "ThrottlingRateLimit" not in settings:
            return None
        return {
            "rate": float(resolve(settings["ThrottlingRateLimit"])),
            "burst": float(resolve(settings.get("ThrottlingBurstLimit", 0))),
        }

    routes = {
        key: found
        for key, settings in (properties.get("RouteSettings") or {}).items()
        if (found := limits(settings)) is not None
    }
    return limits(properties.get("DefaultRouteSettings")), routes


def routes_from_template(api_body: dict[str, Any]) -> list[Route]:
    routes: list[Route] = []
    for path, operations in api_body.get("paths", {}).items():
        for method, operation in operations.items():
            integration = operation.get("x-amazon-apigateway-integration", {})
            uri = json.dumps(integration.get("uri", ""))
            found = _FUNCTION_IN_URI.search(uri)
            if not found:
                continue
            verb = "ANY" if method == "x-amazon-apigateway-any-method" else method.upper()
            schemes = [name for entry in operation.get("security", []) for name in entry]
            routes.append(Route(verb, path, found.group(1), schemes[0] if schemes else None))
    return routes


@dataclass(frozen=True)
class Authorizer:
    """A Lambda REQUEST authorizer as API Gateway runs it (payload 2.0, simple responses), or
    IAM (SigV4) authorization, which the local stack stands in for with a bearer ops token."""

    function_logical_id: str
    identity_headers: tuple[str, ...]
    iam: bool = False


_GET_ATT_FUNCTION = re.compile(r'"Fn::GetAtt": \["([A-Za-z0-9]+)", "Arn"\]')


def authorizers_from_template(api_body: dict[str, Any]) -> dict[str, Authorizer]:
    found: dict[str, Authorizer] = {}
    schemes = api_body.get("components", {}).get("securitySchemes", {})
    for name, scheme in schemes.items():
        if scheme.get("x-amazon-apigateway-authtype") == "awsSigv4":
            found[name] = Authorizer("", ("authorization",), iam=True)
            continue
        settings = scheme.get("x-amazon-apigateway-authorizer")
        if not settings:
            continue
        function = _GET_ATT_FUNCTION.search(json.dumps(settings.get("authorizerUri", "")))
        if function is None:
            continue
        headers = tuple(
            source.removeprefix("$request.header.").lower()
            for source in settings.get("identitySource", [])
            if source.startswith("$request.header.")
        )
        found[name] = Authorizer(function.group(1), headers)
    return found


def cors_from_template(api_body: dict[str, Any]) -> Cors:
    cors = api_body.get("x-amazon-apigateway-cors") or {}
    return Cors(
        allow_origins=tuple(cors.get("allowOrigins", [])),
        allow_methods=tuple(cors.get("allowMethods", [])),
        allow_headers=tuple(cors.get("allowHeaders", [])),
        max_age=int(cors.get("maxAge", 0)),
    )


@dataclass
class HttpGateway:
    """A WSGI application that plays API Gateway for the stack's HTTP API."""

    stack: LocalStack
    api_logical_id: str = "HttpApi"
    local_routes: dict[str, LocalHandler] = field(default_factory=dict)
    # Locally, routes that AWS guards with IAM (SigV4) accept this bearer token instead.
    ops_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def __post_init__(self) -> None:
        resources = self.stack.template.cloudformation["Resources"]
        api = resources[self.api_logical_id]
        body = api["Properties"]["Body"]
        self.routes = routes_from_template(body)
        self.cors = cors_from_template(body)
        self.authorizers = authorizers_from_template(body)
        self.default_route = next((r for r in self.routes if r.path == DEFAULT_ROUTE), None)
        stage = next(
            (
                resource
                for resource in resources.values()
                if resource["Type"] == "AWS::ApiGatewayV2::Stage"
                and resource["Properties"].get("ApiId") == {"Ref": self.api_logical_id}
            ),
            None,
        )
        self.default_limits, self.route_limits = throttles_from_template(stage, self.stack.resolve)
        self._throttles: dict[str, Throttle] = {}
        self._throttles_lock = threading.Lock()
        rules = [
            Rule(
                route.werkzeug_path,
                methods=None if route.method == "ANY" else [route.method],
                endpoint=route,
            )
            for route in self.routes
            if route.path != DEFAULT_ROUTE
        ]
        rules += [Rule(path, methods=["GET"], endpoint=path) for path in self.local_routes]
        self.url_map = Map(rules, strict_slashes=False)
        self.lambda_client = self.stack.client("lambda")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        adapter = self.url_map.bind_to_environ(request.environ)
        if request.method == "OPTIONS":
            return self._preflight(request)
        try:
            endpoint, arguments = adapter.match()
        except (NotFound, MethodNotAllowed):
            if self.default_route is None:
                return _json_response(404, {"message": "Not Found"})
            endpoint, arguments = self.default_route, {}
        except HTTPException as error:
            return _json_response(error.code or 400, {"message": error.description})
        if isinstance(endpoint, str):
            return self.local_routes[endpoint](request, dict(arguments))
        if not self._throttle(endpoint).allow():
            return _json_response(429, {"message": "Too Many Requests"})
        if request.content_length and request.content_length > MAX_PAYLOAD_BYTES:
            return _json_response(413, {"message": "Request Entity Too Large"})
        response = self._invoke(endpoint, dict(arguments), request)
        for name, value in self.cors.headers_for(request.headers.get("Origin")).items():
            response.headers[name] = value
        return response

    def _throttle(self, route: Route) -> Throttle:
        limits = self.route_limits.get(route.route_key, self.default_limits)
        if limits is None:
            return Throttle(rate=float("inf"), burst=1 << 30)
        with self._throttles_lock:
            if route.route_key not in self._throttles:
                self._throttles[route.route_key] = Throttle(limits["rate"], int(limits["burst"]))
            return self._throttles[route.route_key]

    def _preflight(self, request: Request) -> Response:
        headers = self.cors.headers_for(request.headers.get("Origin"))
        if not headers:
            return Response(status=204)
        headers.update(
            {
                "Access-Control-Allow-Methods": ",".join(self.cors.allow_methods),
                "Access-Control-Allow-Headers": ",".join(self.cors.allow_headers),
                "Access-Control-Max-Age": str(self.cors.max_age),
            }
        )
        return Response(status=204, headers=headers)

    def _invoke(self, route: Route, path_parameters: dict[str, str], request: Request) -> Response:
        event = build_event(route, path_parameters, request, self.api_logical_id)
        if route.authorizer and self.authorizers[route.authorizer].iam:
            if event["headers"].get("authorization") != f"Bearer {self.ops_token}":
                return _json_response(403, {"message": "Forbidden"})
            event["requestContext"]["authorizer"] = {
                "iam": {
                    "accountId": "123456789012",
                    "callerId": "local-ops",
                    "userArn": "arn:aws:iam::123456789012:user/local-ops",
                    "userId": "local-ops",
                }
            }
        elif route.authorizer:
            verdict = self._authorize(self.authorizers[route.authorizer], event)
            if isinstance(verdict, Response):
                return verdict
            event["requestContext"]["authorizer"] = {"lambda": verdict}
        answer = self.lambda_client.invoke(
            FunctionName=self.stack.resource(route.function_logical_id),
            Payload=json.dumps(event).encode(),
        )
        payload = answer["Payload"].read()
        if answer.get("FunctionError"):
            # As API Gateway does: a bare 500. The error's type (never its message, which may
            # quote input) goes to the local stack's log, where CloudWatch would have it.
            error_type = json.loads(payload or b"{}").get("errorType", "unknown")
            _log.warning("%s failed with %s", route.function_logical_id, error_type)
            return _json_response(500, {"message": "Internal Server Error"})
        return translate_result(json.loads(payload or b"null"))

    def _authorize(
        self, authorizer: Authorizer, event: dict[str, Any]
    ) -> dict[str, Any] | Response:
        """401 without the identity source, 403 when the authorizer says no, else its context."""
        sources = [event["headers"].get(header) for header in authorizer.identity_headers]
        if not all(sources):
            return _json_response(401, {"message": "Unauthorized"})
        request_context = event["requestContext"]
        authorizer_event = {
            **{k: v for k, v in event.items() if k not in {"body", "isBase64Encoded"}},
            "type": "REQUEST",
            "routeArn": f"arn:aws:execute-api:{self.stack.options.region}:123456789012:"
            f"{self.api_logical_id}/$default/{request_context['http']['method']}"
            f"{request_context['http']['path']}",
            "identitySource": sources,
        }
        answer = self.lambda_client.invoke(
            FunctionName=self.stack.resource(authorizer.function_logical_id),
            Payload=json.dumps(authorizer_event).encode(),
        )
        result = json.loads(answer["Payload"].read() or b"{}")
        if answer.get("FunctionError"):
            return _json_response(500, {"message": "Internal Server Error"})
        if not result.get("isAuthorized"):
            return _json_response(403, {"message": "Forbidden"})
        context: dict[str, Any] = result.get("context") or {}
        return context


def build_event(
    route: Route, path_parameters: dict[str, str], request: Request, api_id: str
) -> dict[str, Any]:
    """An API Gateway HTTP API event, payload format 2.0."""
    raw_body = request.get_data()
    try:
        body: str | None = raw_body.decode("utf-8") if raw_body else None
        is_base64 = False
    except UnicodeDecodeError:
        body, is_base64 = base64.b64encode(raw_body).decode(), True
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        key = name.lower()
        if key == "cookie":
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    now = datetime.now(UTC)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": request.path,
        "rawQueryString": request.query_string.decode("latin-1"),
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": api_id,
            "domainName": request.host,
            "domainPrefix": request.host.split(".")[0],
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.headers.get("User-Agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": route.route_key,
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": is_base64,
    }
    if body is not None:
        event["body"] = body
    if request.cookies:
        event["cookies"] = [f"{name}={value}" for name, value in request.cookies.items()]
    if request.args:
        event["queryStringParameters"] = {
            name: ",".join(request.args.getlist(name)) for name in request.args
        }
    if path_parameters:
        event["pathParameters"] = path_parameters
    return event


def translate_result(result: Any) -> Response:
    """Turn a payload-2.0 function result into an HTTP response, as API Gateway does."""
    if not (isinstance(result, dict) and "statusCode" in result):
        return _json_response(200, result)
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
    response = Response(data, status=int(result["statusCode"]))
    response.headers.pop("Content-Type", None)
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = str(value)
    for name, values in (result.get("multiValueHeaders") or {}).items():
        for value in values:
            response.headers.add(name, str(value))
    for cookie in result.get("cookies") or []:
        response.headers.add("Set-Cookie", cookie)
    return response


def _json_response(status: int, body: Any) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


@dataclass
class ServedGateway:
    """The gateway running on 127.0.0.1 in a background thread."""

    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(gateway: HttpGateway, port: int) -> ServedGateway:
    """Serve on 127.0.0.1 only (port 0 picks a free one)."""
    server = make_server("127.0.0.1", port, gateway, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="http-gateway", daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while not thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    return ServedGateway(server, thread)
