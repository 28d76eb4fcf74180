"""Everything `rightsflow local` runs: the stack, its HTTP API on 127.0.0.1 and an AWS endpoint."""

from __future__ import annotations

import errno
import gc
import json
import os
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from moto.core.config import default_user_config
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from rightsflow.domain.data_map import DataMap, StoreKind, load_data_map
from rightsflow.domain.language import LANGUAGES
from rightsflow.integration.brand_keys import BrandKeys
from rightsflow.integration.signing import derived_secret
from rightsflow.integration.stores.sql_store import DirectSql
from rightsflow.local import sql_demo
from rightsflow.local.downloads import serve_presigned_download
from rightsflow.local.http_gateway import HttpGateway, ServedGateway, serve
from rightsflow.local.onboarding import backfill_indexes
from rightsflow.local.ops_feed import ops_notifications
from rightsflow.local.outbox import outbox_html, sent_messages
from rightsflow.local.page import serve_catalog, serve_page
from rightsflow.local.peers import Peers
from rightsflow.local.ports import PortInUse, check_ports_free
from rightsflow.local.seed import seed
from rightsflow.local.ses_receipt import SesReceipt, serve_smtp
from rightsflow.local.stack import MOTO_CONFIG, LocalStack, StackOptions

T = TypeVar("T")


@dataclass
class LocalServices:
    stack: LocalStack
    gateway: ServedGateway
    aws_endpoint: str | None
    peers: Peers
    brand_keys: dict[str, str]  # the seeded Brands' API keys, shown once at start-up
    mail: SesReceipt
    ops_token: str  # what the local ops API accepts as a bearer token where AWS wants SigV4
    smtp_port: int | None = None

    @property
    def api_url(self) -> str:
        return self.gateway.url


@contextmanager
def running(
    options: StackOptions | None = None,
    *,
    port: int = 3000,
    aws_port: int | None = None,
    smtp_port: int | None = None,
    seed_demo_data: bool = True,
    database_url: str | None = None,
) -> Iterator[LocalServices]:
    """Deploy the stack (with its demo data) and serve it; port 0 picks a free port. The SQL
    stores use `database_url` (a SQLAlchemy URL), else a SQLite file in a temporary folder."""
    options = options or StackOptions()
    check_ports_free({"--port": port, "--aws-port": aws_port, "--smtp-port": smtp_port})
    with ExitStack() as cleanup:
        peers = Peers()
        peers.start()
        cleanup.callback(peers.stop)
        data_map = load_data_map()
        if database_url is None:
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="rightsflow-sql-"))
            database_url = f"sqlite:///{Path(folder) / 'platform.db'}"
        options.database_url = database_url
        # A database that cannot serve the data map is refused before the stack is deployed and
        # seeded: the person waits seconds for the message, not the whole start-up.
        _prepare_database(database_url)
        _check_sql_stores(data_map, database_url)
        for store in data_map.stores.values():
            if store.kind is StoreKind.SQL:
                options.secrets.setdefault(store.resource, json.dumps({"url": database_url}))
        options.parameters.setdefault("HubspotEndpoint", f"{peers.url}/vendors/hubspot")
        for name, brand in data_map.brands.items():
            if brand.webhook:
                options.parameters.setdefault(brand.webhook, f"{peers.url}/brands/{name}")
        stack = cleanup.enter_context(LocalStack.running(options))
        peers.hubspot.secret = stack.secret("VendorSigningSecret")
        master = stack.secret("BrandSigningSecret")
        for name in data_map.brands:
            peers.brand(name).secret = derived_secret(master, f"brand:{name}")
        keys = BrandKeys(stack.resource("BrandKeysTable"))
        brand_keys = {name: keys.issue(name) for name in data_map.brands}
        # The demo's stores hold their data before onboarding, as a company's stores do: then
        # every store's index is backfilled, as ops do after deploying, so what ops see of a
        # store's index (`rightsflow ops index STORE --status`) counts the demo's objects.
        _onboard(stack, data_map, peers, seed_demo_data)
        # What start-up built lives as long as the stack: leave it out of every later garbage
        # collection, whose full passes otherwise stall every request longer as the day's
        # requests accumulate.
        gc.collect()
        gc.freeze()
        aws_endpoint = None
        if aws_port is not None:
            aws_endpoint = _serve_aws(cleanup, aws_port)

        def outbox(_: Request, __: dict[str, str]) -> Response:
            return Response(
                json.dumps(sent_messages(stack.options.region), indent=2),
                content_type="application/json",
            )

        def ops_feed(_: Request, __: dict[str, str]) -> Response:
            return Response(
                json.dumps(ops_notifications(stack.options.region), indent=2),
                content_type="application/json",
            )

        def webhooks(_: Request, __: dict[str, str]) -> Response:
            return Response(
                json.dumps(peers.deliveries(), indent=2), content_type="application/json"
            )

        def download(request: Request, path: dict[str, str]) -> Response:
            return serve_presigned_download(stack, request, path["bucket"], path["key"])

        def page(_: Request, path: dict[str, str]) -> Response:
            return serve_page(path.get("file", "index.html"))

        def outbox_page(_: Request, __: dict[str, str]) -> Response:
            return Response(
                outbox_html(sent_messages(stack.options.region)), content_type="text/html"
            )

        gateway = HttpGateway(
            stack,
            local_routes={
                "/": page,
                "/<any('index.html', 'style.css', 'app.js'):file>": page,
                f"/locale/<any({', '.join(map(repr, LANGUAGES))}):language>.json": serve_catalog,
                "/_local/outbox.html": outbox_page,
                "/_local/outbox": outbox,
                "/_local/ops-notifications": ops_feed,
                "/_local/webhooks": webhooks,
                "/_local/s3/<bucket>/<path:key>": download,
            },
        )
        mail = SesReceipt(stack)
        if smtp_port is not None:
            wanted = smtp_port or _free_port()
            controller = _bound(lambda: serve_smtp(mail, wanted), "--smtp-port", wanted)
            cleanup.callback(controller.stop)
            smtp_port = controller.port
        # The HTTP API comes last: once it answers, everything else is up.
        served = _bound(lambda: serve(gateway, port), "--port", port)
        cleanup.callback(served.stop)
        # Download links in e-mails point here, so that any HTTP client can follow them.
        stack.runtime.extra_environment["DOWNLOAD_ENDPOINT"] = f"{served.url}/_local/s3"
        yield LocalServices(
            stack, served, aws_endpoint, peers, brand_keys, mail, gateway.ops_token, smtp_port
        )


def _onboard(stack: LocalStack, data_map: DataMap, peers: Peers, seed_demo_data: bool) -> None:
    """The demo data written (and its bucket events indexed), then every store's backfill."""
    if seed_demo_data:
        seed(stack, peers.hubspot)
        stack.drain_notifications()
    backfill_indexes(stack, data_map)


def _prepare_database(database_url: str) -> None:
    """The demo schema, where its tables are missing (an empty database, say)."""
    engine = sql_demo.demo_engine(database_url)
    try:
        sql_demo.create_schema(engine)
    finally:
        engine.dispose()


def _check_sql_stores(data_map: DataMap, database_url: str) -> None:
    """Refuse to start (StoreSchemaRefused, naming the table and column) when the database
    cannot serve the data map's SQL stores, rather than park every request later."""
    connection = json.dumps({"url": database_url})
    stores = DirectSql(
        data_map,
        {s.resource: connection for s in data_map.stores.values() if s.kind is StoreKind.SQL},
        read_secret=lambda value: value,
    )
    for name, store in data_map.stores.items():
        if store.kind is StoreKind.SQL:
            connector = stores.connector(name)
            try:
                connector.graph()
            finally:
                connector.engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _bound(start: Callable[[], T], flag: str, port: int) -> T:
    """Start a server; a port taken meanwhile is PortInUse naming `flag`, not a traceback."""
    try:
        return start()
    except OSError as error:
        if error.errno == errno.EADDRINUSE or "in use" in str(error).lower():
            raise PortInUse(flag, port) from error
        raise


def _serve_aws(cleanup: ExitStack, port: int) -> str:
    """moto's server over the same in-process backends, for boto3 or the AWS CLI (port 0: a
    free one). Bound here, not in moto's ThreadedMotoServer, whose start() waits forever if its
    thread cannot bind. What is written through it is what the stack's functions see: an
    object put into a store's bucket is indexed by the bucket's notification within moments."""
    os.environ["MOTO_PORT"] = str(port)  # where moto's ASL interpreter looks for the server
    default_user_config.update(MOTO_CONFIG)
    application = DomainDispatcherApplication(create_backend_app)
    server = _bound(
        lambda: make_server("127.0.0.1", port, application, threaded=True), "--aws-port", port
    )
    thread = threading.Thread(target=server.serve_forever, name="aws-endpoint", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    cleanup.callback(stop)
    return f"http://127.0.0.1:{server.server_port}"
