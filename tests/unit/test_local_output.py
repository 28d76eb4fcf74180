"""What the local stack prints besides what a person asked for: nothing of its own machinery
(the demo and the benchmarks print their figures, not a translator's warning or access lines)."""

from __future__ import annotations

import gc
import logging

import pytest
import requests

from rightsflow.local.peers import Peers
from rightsflow.local.template import load_template
from tests.conftest import TEMPLATE


def test_loading_the_template_leaves_no_unpublished_sam_metrics(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # GIVEN the SAM translator, which counts its own usage in metrics with a dummy publisher
    caplog.set_level(logging.WARNING)
    # WHEN the local stack loads the template (twice: the second translator replaces the
    # first's metrics, which are then collected)
    load_template(TEMPLATE)
    load_template(TEMPLATE)
    gc.collect()
    # THEN nothing warns of unpublished metrics in the middle of the run
    assert not [r for r in caplog.records if "unpublished metrics" in r.getMessage()]


def test_the_stand_in_brand_and_vendor_servers_log_no_access_lines(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # GIVEN the local stand-ins for the Brands' webhooks and the marketing vendor
    caplog.set_level(logging.INFO)
    peers = Peers()
    peers.start()
    try:
        # WHEN something is delivered to them
        requests.post(f"{peers.url}/vendors/hubspot", data=b"{}", timeout=10)
        requests.post(f"{peers.url}/brands/globex", data=b"{}", timeout=10)
    finally:
        peers.stop()
    # THEN no werkzeug access line is written ("127.0.0.1 - - [...] "POST ..." 200 -")
    assert not [r for r in caplog.records if r.name == "werkzeug" and "HTTP/1.1" in r.getMessage()]
