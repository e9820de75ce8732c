"""Content Security Policy: enforced, without unsafe-inline/unsafe-eval, and every page
of the portal keeps to it (no inline script without nonce, no style or on* attributes)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import assert_accessible

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
STYLE_TAG = re.compile(r"<style\b([^>]*)>", re.I)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
EVENT_ATTR = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def _parameterless_paths(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _parameterless_paths(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if "<" not in route and "(" not in route and not route.startswith("admin/"):
                yield "/" + route.lstrip("^").rstrip("$")


def assert_csp_header(response):
    assert "Content-Security-Policy-Report-Only" not in response
    policy = response["Content-Security-Policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
    )
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert directives["style-src"].startswith("'self'")
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'"
    # django-csp adds the nonce only where a page used it: otherwise no inline code at all
    found = re.search(r"'nonce-([^']+)'", directives["script-src"])
    return found.group(1) if found else None


def assert_page_keeps_to_csp(html: str, nonce: str, path: str):
    for attrs in SCRIPT.findall(html) + STYLE_TAG.findall(html):
        if 'type="application/json"' in attrs:
            continue  # a data block (json_script): never executed
        assert "src=" in attrs or (nonce and f'nonce="{nonce}"' in attrs), (
            f"{path}: inline <script {attrs}>"
        )
    assert not STYLE_ATTR.search(html), f"{path}: style attribute"
    match = EVENT_ATTR.search(html)
    assert not match, f"{path}: event handler attribute {match.group(0)[:120]}"
    assert not JS_URL.search(html), f"{path}: javascript: URL"
    assert "hx-on" not in html, f"{path}: hx-on needs eval"


def test_login_page_sends_an_enforced_policy(client):
    response = client.get("/accounts/login/")
    nonce = assert_csp_header(response)
    assert_page_keeps_to_csp(response.content.decode(), nonce, "/accounts/login/")


@pytest.mark.parametrize("path", sorted(set(_parameterless_paths())))
@pytest.mark.parametrize("role", ["staff", "admin"])
def test_every_page_keeps_to_the_policy(client, role_users, path, role):
    client.force_login(role_users[role])
    response = client.get(path)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return  # JSON, CSV, redirects and 403s carry no markup
    nonce = assert_csp_header(response)
    assert_page_keeps_to_csp(response.content.decode(), nonce, path)


@pytest.mark.browser
def test_no_csp_violation_on_legal_pages_and_personal_data(
    page, live_server, transactional_db, csp_violations
):
    from tests.conftest import login
    from tests.factories import TEST_PASSWORD, UserFactory

    for path in ("/datenschutz/", "/impressum/", "/barrierefreiheit/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.get_by_label("Beschreibung der Barriere").fill("Der Kontrast im Fußbereich ist zu gering.")
    page.get_by_role("button", name="Rückmeldung senden").click()
    page.wait_for_url(f"{live_server.url}/barrierefreiheit/")
    assert page.get_by_role("status").filter(has_text="Vielen Dank").is_visible()
    UserFactory(username="erika")
    login(page, live_server, "erika", TEST_PASSWORD)
    page.get_by_role("link", name="Meine Daten").click()
    page.wait_for_url(f"{live_server.url}/meine-daten/")
    assert_accessible(page)
    assert csp_violations == []
