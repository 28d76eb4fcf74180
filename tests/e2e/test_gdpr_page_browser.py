"""The GDPR page in a real browser (Debian's Chromium, driven by Playwright): a person makes an
access request, enters the e-mailed code, and watches it reach `completed`; a person who wrote
an e-mail does the same from the links of the e-mails alone."""

from __future__ import annotations

import os
import re
import shutil
import smtplib
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.support import CODE_LINE, Api, unique_email, wait_for

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
    page = browser.new_page(viewport={"width": 900, "height": 1400}, locale="en-US")
    page.goto(api.url + "/")
    page.wait_for_function("document.documentElement.dataset.ready === 'en'")
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
    other = browser.new_page(viewport={"width": 900, "height": 1100}, locale="en-US")
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

    page = browser.new_page(viewport={"width": 900, "height": 1400}, locale="en-US")
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


def test_the_page_offers_every_place_with_its_own_law_and_tells_the_due_time_on_the_readers_clock(
    api: Api, browser: Any
) -> None:
    from rightsflow.domain.place_choices import ALIASES
    from rightsflow.domain.regimes import PLACES

    page = browser.new_page(timezone_id="Europe/Warsaw")
    page.goto(api.url + "/")
    # GIVEN the list of places: every one the API has a law for
    offered = page.eval_on_selector_all("#jurisdiction option", "os => os.map(o => o.value)")
    assert set(offered) == set(PLACES) - set(ALIASES)
    # WHEN someone in Oregon chooses their state and a right
    page.select_option("#jurisdiction", "US-OR")
    page.check("input[value=erasure]")
    # THEN the due date is told under Oregon's law
    page.wait_for_function("document.getElementById('due-preview').dataset.due")
    assert "Oregon" in page.inner_text("#due-preview")
    # WHEN someone who gives no country (EU, counted in the EU zone whose day ends first)
    # looks, on a clock in Poland
    page.evaluate("document.getElementById('due-preview').dataset.due = ''")
    page.select_option("#jurisdiction", "EU")
    page.wait_for_function("document.getElementById('due-preview').dataset.due")
    # THEN the due moment is on their own clock, and names no zone they would not recognise
    preview = page.inner_text("#due-preview")
    assert "GDPR" in preview
    for strange in ("Reunion", "Réunion", "Indian/", "America/"):
        assert strange not in preview
    assert re.search(r"GMT\+[12]|CES?T", preview), preview
    page.close()


STATUS_LINK = re.compile(r"\?request_id=(req-[\w-]+)&token=([\w-]+)")
VERIFY_LINK = re.compile(r"\?request_id=(req-[\w-]+)&step=verify")


def test_an_emailed_request_is_followed_and_verified_from_its_emails_alone(
    api: Api, browser: Any
) -> None:
    """GIVEN a person who writes to the privacy address WHEN they open the links of the two
    e-mails they get THEN they follow the request and verify it, knowing nothing else."""
    sender = unique_email("mailed")
    message = EmailMessage()
    message["From"] = f"Mailed Person <{sender}>"
    message["To"] = api.services.stack.parameters["PrivacyInboxAddress"]
    message["Subject"] = "Subject access request"
    message["Message-ID"] = f"<{uuid.uuid4()}@mail.example>"
    message.set_content("Please send me a copy of the personal data you hold about me.")
    assert api.services.smtp_port
    with smtplib.SMTP("127.0.0.1", api.services.smtp_port, timeout=60) as smtp:
        smtp.send_message(message)

    acknowledgment = wait_for(
        lambda: [m for m in api.outbox(to=sender) if "We received" in m["subject"]]
    )[0]
    found = STATUS_LINK.search(acknowledgment["text"])
    assert found is not None
    request_id, token = found.groups()
    status_link = f"{api.url}/{found.group(0)}"

    # The code e-mail's link opens the code step with nothing but the request id
    code_mail = wait_for(lambda: [m for m in api.outbox(to=sender) if CODE_LINE.search(m["text"])])[
        0
    ]
    verify = VERIFY_LINK.search(code_mail["text"])
    assert verify is not None
    assert verify.group(1) == request_id
    code = CODE_LINE.search(code_mail["text"])
    assert code is not None
    fresh = browser.new_context(locale="en-US")
    page = fresh.new_page()
    page.goto(f"{api.url}/{verify.group(0)}")
    page.wait_for_selector("#step-verify:not([hidden])")
    assert page.inner_text("#verify-request-id") == request_id
    page.fill("#code", code.group(1))
    page.click("#submit-code")
    page.wait_for_selector("#step-done:not([hidden])")
    assert "link in the e-mail" in page.inner_text("#notice")
    fresh.close()

    # The acknowledgment's link shows the status by itself, and the token leaves the address bar
    other = browser.new_context(locale="en-US")
    page = other.new_page()
    page.goto(status_link)
    page.wait_for_selector("#step-status:not([hidden])")
    assert token not in page.url
    wait_for(lambda: page.inner_text("#status-request-id") == request_id)
    page.wait_for_function(
        "document.getElementById('status-value').dataset.status === 'completed'", timeout=90_000
    )
    assert "Waiting for your verification code" in page.inner_text("#status-history")
    # `status_token` is accepted as the token's name too
    again = other.new_page()
    again.goto(f"{api.url}/?request_id={request_id}&status_token={token}")
    again.wait_for_selector("#step-status:not([hidden])")
    assert "status_token" not in again.url
    other.close()


def test_the_page_speaks_the_browsers_language_has_a_switch_and_requests_follow_it(
    api: Api, browser: Any, shots: Path
) -> None:
    from rightsflow.domain.language import words
    from rightsflow.domain.mail_recognition import detect_language

    # GIVEN a browser whose first language is German
    context = browser.new_context(locale="de-DE", viewport={"width": 900, "height": 1400})
    page = context.new_page()
    page.goto(api.url + "/")
    # THEN the page is in German, from the same catalogs as the e-mails
    page.wait_for_function("document.documentElement.dataset.ready === 'de'")
    assert page.get_attribute("html", "lang") == "de"
    assert page.inner_text("h1") == words("de").gettext("Your privacy rights")
    assert page.input_value("#language") == "de"
    assert "Auskunftsrecht" in page.inner_text("#type-field")
    # AND every place, and the groups of the place list, are named in German
    assert page.inner_text("#jurisdiction option[value=AT]") == words("de").gettext("Austria")
    assert page.inner_text("#jurisdiction option[value=US-CA]") == "Kalifornien"
    assert page.get_attribute("#jurisdiction optgroup", "label") == words("de").gettext(
        "European Union and EEA (GDPR)"
    )
    page.screenshot(path=str(shots / "6-page-in-german.png"), full_page=True)
    # WHEN the person switches to French with the visible switch
    page.select_option("#language", "fr")
    page.wait_for_function("document.documentElement.dataset.ready === 'fr'")
    # THEN everything is in French, the due date too, and the choice is kept for the next visit
    assert page.inner_text("h1") == words("fr").gettext("Your privacy rights")
    page.check("input[value=access]")
    page.select_option("#jurisdiction", "FR")
    page.wait_for_function("document.getElementById('due-preview').dataset.due")
    assert "RGPD (règlement (UE) 2016/679)" in page.inner_text("#due-preview")
    # an error in French, tied to its field
    page.click("#submit-request")
    page.wait_for_selector("#email-error:not([hidden])")
    assert page.inner_text("#email-error") == words("fr").gettext("Enter your e-mail address.")
    # WHEN the person sends the request
    email = unique_email("page-fr")
    page.fill("#email", email)
    page.click("#submit-request")
    page.wait_for_selector("#step-verify:not([hidden])")
    request_id = page.inner_text("#verify-request-id")
    # THEN its e-mails are in French
    acknowledgment = wait_for(lambda: api.outbox(to=email), timeout=90)[0]
    assert detect_language(acknowledgment["text"])[0] == "fr"
    assert api.record(request_id)["language"] == "fr"
    code = api.latest_code({"email": email, "request_id": request_id})
    page.fill("#code", "000000" if code != "000000" else "111111")
    page.click("#submit-code")
    page.wait_for_selector("#code-error:not([hidden])")
    assert page.inner_text("#code-error") == words("fr").ngettext(
        "Wrong code: %(count)d attempt left.", "Wrong code: %(count)d attempts left.", 4
    )
    # AND a later visit opens in French, whatever the browser prefers
    again = context.new_page()
    again.goto(api.url + "/")
    again.wait_for_function("document.documentElement.dataset.ready === 'fr'")
    assert again.get_attribute("html", "lang") == "fr"
    context.close()
