"""The admin under its Content-Security-Policy, in a real browser: the article
pages (editor, pickers, inlines) report no violation, an injected script does not
run, and staff add a security key under the two-factor pages' policy."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    CorrectionFactory,
    ImageFactory,
    PartnerOutletFactory,
    body_with_picture,
)

pytestmark = pytest.mark.django_db(transaction=True)


def violations(page):
    """Collect the page's securitypolicyviolation events, as the browser fires them."""
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', event =>"
        " window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));"
    )
    return lambda: page.evaluate("window.__violations")


def test_article_pages_of_the_admin_run_under_the_policy(page, editor, live_server):
    article = ArticleFactory(
        tags=["Mosul", "Water"],
        lead_image=ImageFactory(),
        partner=PartnerOutletFactory(name="Tigris Dispatch"),
        body=body_with_picture(ImageFactory(), caption="In the body"),
    )
    ArticleContributorFactory(article=article)
    CorrectionFactory(article=article)
    seen = violations(page)
    log_in(page.context, editor, live_server)

    for url in [
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_add"),
    ]:
        response = page.goto(url)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self' 'nonce-" in policy
        assert "unsafe" not in policy
        editor_box = page.locator('.field-body [contenteditable="true"]')
        editor_box.click()
        page.keyboard.type(" More words.")
        # The tag picker asks the server for options (select2, autocomplete).
        page.click(".field-tags .select2-selection")
        page.keyboard.type("Wat")
        expect(
            page.locator(".select2-results__option", has_text="Water")
        ).to_be_visible()
        page.keyboard.press("Escape")
        page.click("#article_contributors-group .add-row a")
        assert seen() == [], url
    # The page fixture also fails the test on any violation in the console.


def test_an_injected_inline_script_does_not_run_in_the_admin(
    browser, editor, live_server
):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    seen = violations(page)
    log_in(page.context, editor, live_server)
    page.goto(reverse("admin:articles_article_add"))
    ran = page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.__injected = true';
            document.body.append(script);
            const div = document.createElement('div');
            div.innerHTML = '<img src="x" onerror="window.__injected = true">';
            document.body.append(div);
            return new Promise(done => setTimeout(
                () => done(window.__injected === true), 300));
        }"""
    )
    assert ran is False
    assert any(entry.startswith("script-src") for entry in seen())
    context.close()


def test_staff_add_a_security_key_under_the_two_factor_policy(
    page, editor, live_server, settings
):
    settings.STAFF_REQUIRE_TWO_FACTOR = True
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True)
    # Chromium's virtual authenticator stands in for a USB key.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    seen = violations(page)

    page.goto("/admin/")
    page.fill("#id_login", editor.username)
    page.fill("#id_password", "correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Set up two-factor authentication")).to_be_visible()

    page.goto(reverse("mfa_add_webauthn"))
    page.fill("#id_password", "correct-horse-battery")  # allauth asks again
    page.get_by_role("button", name="Confirm").click()
    page.fill("#id_name", "Desk key")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert Authenticator.objects.filter(user=editor, type="webauthn").exists()
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    assert seen() == []
