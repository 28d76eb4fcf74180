"""The GDPR page in a real browser (Debian's Chromium, driven by Playwright): a person makes an
access request, enters the e-mailed code, and watches it reach `completed`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import Api, unique_email, wait_for

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
    page.keyboard.press("Enter")  # keyboard only
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


def test_the_page_shows_the_due_date_before_sending_and_asks_no_code_for_an_opt_out(
    api: Api, browser: Any
) -> None:
    from rightsflow.domain.deadlines import calculate

    page = browser.new_page(viewport={"width": 900, "height": 1400})
    page.goto(api.url + "/")
    # GIVEN a Californian chooses "Do not sell or share"
    page.select_option("#jurisdiction", "US-CA")
    page.check("input[value=opt_out_sale_sharing]")
    # THEN before sending, the page says by when the law makes us answer, and that no code is
    # needed (from the public deadline calculator)
    page.wait_for_function("document.getElementById('due-preview').dataset.due")
    expected = calculate("US-CA", "opt_out_sale_sharing", None).due_local_date
    assert page.get_attribute("#due-preview", "data-due") == expected
    assert "No verification code is needed" in page.inner_text("#due-preview")
    # WHEN the person sends it
    page.fill("#email", unique_email("page-opt-out"))
    page.click("#submit-request")
    # THEN the page goes straight to the status, which reaches completed without a code
    page.wait_for_selector("#step-status:not([hidden])")
    page.wait_for_function(
        "document.getElementById('status-value').dataset.status === 'completed'", timeout=90_000
    )
    page.close()
