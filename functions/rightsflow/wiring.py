"""Building the objects several handlers share from their settings, in one place."""

from __future__ import annotations

from typing import Protocol

from rightsflow.domain.data_map import DataMap
from rightsflow.domain.timescale import TimeScale
from rightsflow.integration.brand_inbox import BrandInbox
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.ops_notifier import OpsNotifier
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.secrets import secret_value
from rightsflow.service.brand_channel import BrandChannel
from rightsflow.service.routing import BrandRouting


class BrandWiring(Protocol):
    """The settings a Brand-routing function has (frozen: read-only)."""

    @property
    def requests_table(self) -> str: ...
    @property
    def audit_table(self) -> str: ...
    @property
    def inbox_table(self) -> str: ...
    @property
    def brand_secret_arn(self) -> str: ...
    @property
    def sender_address(self) -> str: ...
    @property
    def ops_topic_arn(self) -> str: ...
    @property
    def data_stores(self) -> dict[str, str]: ...
    @property
    def time_scale(self) -> TimeScale: ...


def brand_routing(settings: BrandWiring, data_map: DataMap) -> BrandRouting:
    return BrandRouting(
        requests=RequestsStore(settings.requests_table, settings.audit_table),
        data_map=data_map,
        inbox=BrandInbox(settings.inbox_table),
        channel=BrandChannel(
            data_map,
            settings.data_stores,
            lambda: secret_value(settings.brand_secret_arn),
            Mailer(settings.sender_address),
        ),
        notifier=OpsNotifier(settings.ops_topic_arn),
        scale=settings.time_scale,
    )
