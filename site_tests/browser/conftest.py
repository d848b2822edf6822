"""Real-browser fixtures: Debian Chromium driven by Playwright, never a downloaded browser.

Every page records console errors and any request to another origin; a failing test
leaves a screenshot and the console log in test-artifacts/ for the developer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    BrowserType,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)

from site_tests.browser.deployment import Deployment, deploy
from site_tests.browser.static_server import StaticServer
from site_tests.conftest import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
EXAMPLE_CLINIC = PROJECT_ROOT / "clinics" / "example"
PHONE = {"width": 360, "height": 740}
COLD_START = 60_000  # ms; generous for a loaded 2-core CI machine (benchmarks measure speed)


@dataclass
class PageWatch:
    """What a page did that a test may need to assert on."""

    console_errors: list[str] = field(default_factory=list)
    console_log: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


def launch_chromium(playwright) -> Browser:  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def phone_profile(playwright: Playwright, folder: Path) -> BrowserContext:
    """A phone-sized Chromium with a profile on disk, as a real phone has: installs need one,
    and unlike a throwaway context its HTTP cache can hold Pyodide's 9.6 MB wasm."""
    return playwright.chromium.launch_persistent_context(
        str(folder),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        viewport=PHONE,
        service_workers="allow",
    )


# Playwright's sync driver runs one event loop per process, and a second one refuses to start.
# site_tests/generators/conftest.py imports these fixtures, which makes pytest hold a second
# session copy of this one, and pytest-xdist may run both folders in one worker: the later
# copy then reuses the driver the first one started (session teardown runs last-in, first-out).
_RUNNING_DRIVER: list[Playwright] = []


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if _RUNNING_DRIVER:
        yield _RUNNING_DRIVER[0]
        return
    with sync_playwright() as driver:
        _RUNNING_DRIVER.append(driver)
        try:
            yield driver
        finally:
            _RUNNING_DRIVER.clear()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def site_server(built_site: Path, site_url: str) -> Iterator[StaticServer]:
    server = StaticServer(built_site)
    server.port = int(urlsplit(site_url).port or 80)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def clinic_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """The example clinic's copy, built once per session and served under a sub-path."""
    served = deploy(tmp_path_factory.mktemp("clinic"), prefix="/handbook/", clinic=EXAMPLE_CLINIC)
    yield served
    served.server.stop()


def watch(page: Page, origin: str) -> PageWatch:
    seen = PageWatch()

    def on_console(message: ConsoleMessage) -> None:
        seen.console_log.append(f"{message.type}: {message.text}")
        if message.type == "error":
            seen.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.console_errors.append(f"pageerror: {error}"))

    def on_request(request) -> None:  # type: ignore[no-untyped-def]
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https"} and f"{parts.scheme}://{parts.netloc}" != origin:
            seen.foreign_requests.append(request.url)

    page.on("request", on_request)
    return seen


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=PHONE, service_workers="allow")
    yield ctx
    ctx.close()


@pytest.fixture
def page(
    context: BrowserContext, site_server: StaticServer, request: pytest.FixtureRequest
) -> Iterator[tuple[Page, PageWatch]]:
    tab = context.new_page()
    origin = (
        site_server.url.split(site_server.prefix)[0]
        if site_server.prefix != "/"
        else (site_server.url.rstrip("/"))
    )
    seen = watch(tab, origin)
    yield tab, seen
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_artifacts(request.node.name, tab, seen)


def save_artifacts(name: str, tab: Page, seen: PageWatch) -> None:
    safe = re.sub(r"[^\w.-]+", "_", name)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        tab.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
    except Exception as exc:
        seen.console_log.append(f"(screenshot failed: {exc})")
    (ARTIFACTS / f"{safe}.console.txt").write_text("\n".join(seen.console_log), encoding="utf-8")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


# --- Content-Security-Policy: every browser test also checks that nothing was blocked. ---

# Runs before any page script (Playwright's init scripts are exempt from the page's policy).
_CSP_RECORDER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__hbCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || location.href}:${event.lineNumber}`);
}, true);
"""


def _record_csp_violations(context: BrowserContext, violations: list[str]) -> BrowserContext:
    context.expose_binding("__hbCspViolation", lambda _source, text: violations.append(text))
    context.add_init_script(_CSP_RECORDER)

    # Workers and the service worker run no init script; Chromium reports their blocks here.
    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    context.on("console", on_console)
    return context


@pytest.fixture(autouse=True)
def no_csp_violations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every context any browser test opens records policy violations; there must be none."""
    violations: list[str] = []
    new_context = Browser.new_context
    persistent = BrowserType.launch_persistent_context
    monkeypatch.setattr(
        Browser,
        "new_context",
        lambda self, *a, **kw: _record_csp_violations(new_context(self, *a, **kw), violations),
    )
    monkeypatch.setattr(
        BrowserType,
        "launch_persistent_context",
        lambda self, *a, **kw: _record_csp_violations(persistent(self, *a, **kw), violations),
    )
    yield violations
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "site_tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def tab(
    browser: Browser, site_server: StaticServer, request: pytest.FixtureRequest
) -> Iterator[tuple[Page, PageWatch]]:
    """One phone-sized tab per test module, kept warm so Pyodide starts once per module."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    seen = watch(page, site_server.url.rstrip("/"))
    yield page, seen
    if request.session.testsfailed:
        module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
        save_artifacts(f"{module}-{request.node.name}", page, seen)
    context.close()
