"""Single sign-on in Chromium against a real OpenID Connect provider process
(``oidc-provider-mock``, started here): the button on ``/login``, the provider's page, and
back into Accord with the roles the mapping grants, or a clear page and no session.

The provider is reached as ``localhost`` and Accord as ``127.0.0.1``: two sites, so the
browser applies its cross-site cookie rules (the state cookie must come back on the
provider's redirect, the SameSite=Strict session cookie must work after it).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect
from sqlalchemy import select

from accord.db.engine import make_engine
from accord.db.tables import annotations, login_sessions, users
from tests.browser.conftest import Site
from tests.browser.helpers import Watch, wait_for_workbench
from tests.factories import add_comparison, make_project
from tests.live import running_servers
from tests.oidc_provider import Provider, person, running_provider

pytestmark = pytest.mark.browser

MAPPING = {"accord-admins": "admin",
           "rlhf-annotators": {"project": "demo", "role": "annotator"}}
PEOPLE = [person("grace", "rlhf-annotators"), person("root", "accord-admins"),
          person("nobody")]
CDN = "https://cdn.jsdelivr.net/"
EMPTY_CSS = {"status": 200, "content_type": "text/css", "body": ""}


@dataclass
class SsoWatch(Watch):
    """The usual watch, with the provider's pages allowed (a sign-in visits them), and its
    stylesheet, which the test answers itself (``_no_cdn``)."""

    provider: str = ""

    def _request(self, request) -> None:
        if not request.url.startswith((self.provider, CDN)):
            super()._request(request)


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider(PEOPLE) as running:
        yield running


@contextmanager
def accord_site(tmp_path, sqlite_template, monkeypatch, provider: Provider,
                **extra: str) -> Iterator[Site]:
    path = tmp_path / "accord.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    for name, value in provider.settings(MAPPING, **extra).items():
        monkeypatch.setenv(name, value)
    engine = make_engine(url)
    with running_servers(url) as (base,):
        yield Site(base, engine)
    engine.dispose()


@pytest.fixture
def site(tmp_path, sqlite_template, monkeypatch, provider) -> Iterator[Site]:
    with accord_site(tmp_path, sqlite_template, monkeypatch, provider) as running:
        yield running


@pytest.fixture
def watch(site, provider) -> SsoWatch:
    return SsoWatch(site.base, provider=provider.issuer)


def _no_cdn(route: Route) -> None:
    """The provider's page links a stylesheet on a CDN; tests never leave the machine."""
    route.fulfill(**EMPTY_CSS)


@pytest.fixture
def page(chromium, watch) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.route(CDN + "**", _no_cdn)
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch.attach(page)
    yield page
    context.close()
    watch.assert_clean()


def go_to_provider(page: Page, site: Site, provider: Provider, next: str = "/") -> None:
    page.goto(f"{site.base}/login?next={next}")
    page.get_by_role("link", name="Sign in with TestID").click()
    page.wait_for_url(f"{provider.issuer}/oauth2/authorize?*")
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()


def sign_in_as(page: Page, site: Site, provider: Provider, sub: str) -> None:
    go_to_provider(page, site, provider)
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{site.base}/")
    expect(page.locator(".user-name")).to_have_text(sub)


def sign_out(page: Page, site: Site, provider: Provider) -> None:
    """Log out of Accord, which ends the session at the provider too, and come back."""
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{provider.issuer}/oauth2/end_session?*")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{site.base}/login")


def project_cards(page: Page) -> list[str]:
    return [card.get_attribute("data-project") or ""
            for card in page.locator(".project-card").all()]


def test_a_mapped_admin_signs_in_and_sees_every_project(site, page, provider):
    make_project(site.engine, "demo")
    make_project(site.engine, "secret")
    sign_in_as(page, site, provider, "root")
    assert project_cards(page) == ["demo", "secret"]
    with site.engine.connect() as conn:
        assert conn.execute(select(users.c.is_admin).where(users.c.name == "root")).scalar()


def test_an_annotator_mapped_to_demo_sees_only_demo_and_annotates(site, page, provider):
    demo = make_project(site.engine, "demo")
    make_project(site.engine, "secret")
    with site.engine.begin() as conn:
        add_comparison(conn, demo, "q-1")
    sign_in_as(page, site, provider, "grace")
    assert project_cards(page) == ["demo"]
    page.get_by_role("link", name="Annotate").click()
    wait_for_workbench(page, "q-1")
    page.keyboard.press("1")
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    expect(page.locator(".nothing-waiting")).to_be_visible()
    with site.engine.connect() as conn:
        annotator = conn.execute(
            select(users.c.name).join(annotations, annotations.c.annotator_id == users.c.id)
        ).scalar_one()
    assert annotator == "grace"


def test_a_user_with_no_mapped_role_sees_no_project_and_whom_to_ask(site, page, provider):
    make_project(site.engine, "demo")
    sign_in_as(page, site, provider, "root")  # an administrator, to be named
    sign_out(page, site, provider)
    sign_in_as(page, site, provider, "nobody")
    assert project_cards(page) == []
    expect(page.locator(".no-project")).to_contain_text("not a member of any project")
    expect(page.locator(".no-project .administrators")).to_have_text("root")


def test_after_sign_in_the_person_lands_where_they_were_going(site, page, provider):
    demo = make_project(site.engine, "demo")
    with site.engine.begin() as conn:
        add_comparison(conn, demo, "q-1")
    page.goto(f"{site.base}/projects/demo/annotate")
    page.wait_for_url(f"{site.base}/login?next=*")
    page.get_by_role("link", name="Sign in with TestID").click()
    page.get_by_role("button", name="grace", exact=True).click()
    page.wait_for_url(f"{site.base}/projects/demo/annotate")
    wait_for_workbench(page, "q-1")


def test_with_password_login_off_only_single_sign_on_is_offered(
        tmp_path, sqlite_template, monkeypatch, provider, chromium):
    with accord_site(tmp_path, sqlite_template, monkeypatch, provider,
                     ACCORD_PASSWORD_LOGIN="false") as site:
        watch = SsoWatch(site.base, provider=provider.issuer)
        context = chromium.new_context()
        context.route(CDN + "**", _no_cdn)
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch.attach(page)
        page.goto(f"{site.base}/login")
        expect(page.get_by_role("link", name="Sign in with TestID")).to_be_focused()
        expect(page.locator("#username")).to_have_count(0)
        expect(page.locator("#password")).to_have_count(0)
        sign_in_as(page, site, provider, "grace")
        context.close()
        watch.assert_clean()


def test_a_denied_consent_shows_a_clear_page_and_no_session(site, page, provider, watch):
    watch.expected_statuses.add(403)
    go_to_provider(page, site, provider)
    page.get_by_role("button", name="Deny").click()
    page.wait_for_url(f"{site.base}/auth/oidc/callback?*")
    expect(page.locator("h1")).to_have_text("Not allowed")
    expect(page.get_by_role("alert")).to_contain_text("declined at the provider")
    page.goto(f"{site.base}/")
    page.wait_for_url(f"{site.base}/login")
    assert _sessions(site) == 0


def test_a_state_this_browser_did_not_begin_shows_a_clear_page(site, page, provider, watch):
    watch.expected_statuses.add(400)
    go_to_provider(page, site, provider)
    page.context.clear_cookies()  # the state cookie is gone: this is not the same browser
    page.get_by_role("button", name="grace", exact=True).click()
    page.wait_for_url(f"{site.base}/auth/oidc/callback?*")
    expect(page.get_by_role("alert")).to_contain_text("not begun in this browser")
    page.goto(f"{site.base}/")
    page.wait_for_url(f"{site.base}/login")
    assert _sessions(site) == 0
    with site.engine.connect() as conn:
        assert conn.execute(select(users.c.id)).first() is None


def _sessions(site: Site) -> int:
    with site.engine.connect() as conn:
        return len(conn.execute(select(login_sessions.c.id)).all())


def test_signing_out_ends_the_providers_session_and_the_next_sign_in_asks_it_again(
        site, page, provider):
    """oidc-provider-mock 0.3.4 offers ``end_session_endpoint`` (its page takes the
    ``id_token_hint`` and sends the browser back) but keeps no session of its own: it asks
    at every sign-in. So this shows the round trip through the provider's endpoint and that
    the next sign-in goes to the provider again, not that a remembered session was ended."""
    sign_in_as(page, site, provider, "grace")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{provider.issuer}/oauth2/end_session?*")
    expect(page.get_by_role("heading", name="End Session")).to_be_visible()
    query = parse_qs(urlsplit(page.url).query)
    assert query["post_logout_redirect_uri"] == [f"{site.base}/login"]
    assert query["id_token_hint"][0].count(".") == 2  # the ID token, a JWT
    expect(page.get_by_text("not set")).to_have_count(0)  # the provider saw the hint
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{site.base}/login")
    assert _sessions(site) == 0
    go_to_provider(page, site, provider)  # asked again: the provider's page, not Accord's
    page.get_by_role("button", name="grace", exact=True).click()
    page.wait_for_url(f"{site.base}/")
    expect(page.locator(".user-name")).to_have_text("grace")
