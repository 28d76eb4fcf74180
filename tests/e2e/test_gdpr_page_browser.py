"""The GDPR page in a real browser (Debian's Chromium, driven by Playwright): a person makes an
access request, enters the e-mailed code, and watches it reach `completed`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import Api, wait_for

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ADA = "ada.lovelace@example.com"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.skip(f"Playwright is not installed: {error}")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: docs/screenshots when RIGHTSFLOW_SCREENSHOTS says so."""
    target = Path(os.environ.get("RIGHTSFLOW_SCREENSHOTS", tmp_path))
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_a_person_requests_access_verifies_and_sees_it_completed(
    api: Api, browser: Any, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 900, "height": 1400})
    page.goto(api.url + "/")
    page.screenshot(path=str(shots / "1-request-form.png"), full_page=True)

    # Sending nothing: the errors are tied to their fields, and focus goes to the first one
    page.click("#submit-request")
    assert page.is_visible("#type-error")
    assert page.get_attribute("#email", "aria-invalid") == "true"
    # A bad address is refused by the API; what was typed stays
    page.check("input[value=access]")
    page.fill("#email", "ada.lovelace-at-example.com")
    page.fill("#phone", "+44 20 7946 0000")
    page.click("#submit-request")
    page.wait_for_selector("#email-error:not([hidden])")
    assert "email" in page.inner_text("#notice").lower()
    assert page.input_value("#phone") == "+44 20 7946 0000"
    page.screenshot(path=str(shots / "2-validation-errors.png"), full_page=True)

    page.fill("#email", ADA)
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/requests")) as sent:
        page.keyboard.press("Enter")  # keyboard only
    # One Idempotency-Key per submission: trying again never makes a second request
    assert sent.value.headers.get("idempotency-key")
    page.wait_for_selector("#step-verify:not([hidden])")
    request_id = page.inner_text("#verify-request-id")
    page.screenshot(path=str(shots / "3-verification-code.png"), full_page=True)

    code = api.latest_code({"email": ADA, "request_id": request_id})
    page.fill("#code", "000000" if code != "000000" else "111111")
    page.click("#submit-code")
    page.wait_for_selector("#code-error:not([hidden])")
    assert "4 attempts left" in page.inner_text("#code-error")
    page.fill("#code", code)
    page.click("#submit-code")
    page.wait_for_selector("#step-status:not([hidden])")
    page.wait_for_function(
        "document.getElementById('status-value').dataset.status === 'completed'", timeout=90_000
    )
    assert "Completed" in page.inner_text("#status-value")
    # An access request's data is offered for download, for as long as it is kept
    page.wait_for_selector("#download")
    assert "download it until" in page.inner_text("#package")
    assert "Waiting for your verification code" in page.inner_text("#status-history")
    page.screenshot(path=str(shots / "4-status-completed.png"), full_page=True)
    token = page.inner_text("#status-token")

    # Reopened later, in another browser, with the id and the token
    other = browser.new_page(viewport={"width": 900, "height": 1100})
    other.goto(f"{api.url}/#{request_id}")
    assert other.input_value("#lookup-id") == request_id
    other.fill("#lookup-token", token)
    other.click("#lookup-form button")
    other.wait_for_selector("#step-status:not([hidden])")
    wait_for(lambda: other.inner_text("#status-value") == "Completed")
    other.screenshot(path=str(shots / "5-reopened-later.png"), full_page=True)
    page.close()
    other.close()


def test_the_outbox_page_shows_the_emails(api: Api, browser: Any) -> None:
    page = browser.new_page()
    page.goto(api.url + "/_local/outbox.html")
    assert "Local outbox" in page.inner_text("h1")
    page.close()
