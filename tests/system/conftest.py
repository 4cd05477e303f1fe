"""Playwright journeys against a live Safehub, each page checked with axe-core (WCAG 2.2 AA).

Fixtures: `browser` (session; Debian's chromium), `page` (a fresh browser context per test, with
`base_url` set to the live server). Helpers, importable with
`from tests.system.conftest import axe_check, sign_in, visit`:

- `visit(page, path)` goes to the path and runs `axe_check`: every page a journey visits must pass.
- `sign_in(page, username, password)` signs in through /sign-in/ and checks the header names the user.
- `axe_check(page)` runs axe-core on the current page and fails the test listing each violation.

Every test under tests/system is marked `browser`. Without chromium these tests are skipped,
unless SAFEHUB_REQUIRE_BROWSER=1 (CI), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread, which trips Django's async-safety
# check when the test (or the live server's test database) touches the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SYSTEM_TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = SYSTEM_TESTS_DIR.parent.parent
AXE_SOURCE = REPO_DIR / "frontend" / "build" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILD_HINT = "run `npm --prefix frontend ci && npm --prefix frontend run build`"

# Page problems seen by each open page: CSP refusals and uncaught script errors.
_page_problems: dict[int, list[str]] = {}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SYSTEM_TESTS_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        if os.environ.get("SAFEHUB_REQUIRE_BROWSER") == "1":
            pytest.fail("Debian's chromium is not installed (SAFEHUB_REQUIRE_BROWSER=1)")
        pytest.skip("Debian's chromium is not installed")

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    new_page = context.new_page()
    problems: list[str] = []
    _page_problems[id(new_page)] = problems
    new_page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
    )
    new_page.on("pageerror", lambda error: problems.append(f"uncaught script error: {error}"))
    yield new_page
    _page_problems.pop(id(new_page), None)
    context.close()


def axe_check(page) -> None:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the current page; fail on any violation.

    axe is loaded with `page.evaluate`, which our CSP (no inline scripts without a nonce) does
    not apply to; a <script> tag would be refused. The page's own CSP refusals and uncaught script
    errors fail the check too.
    """
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE.relative_to(REPO_DIR)} is missing: {BUILD_HINT}")
    problems = _page_problems.get(id(page), [])
    if problems:
        pytest.fail(f"{page.url} had script or CSP problems:\n" + "\n".join(f"  - {p}" for p in problems))

    results = _run_axe(page)
    if results:
        lines = [f"{page.url} fails {len(results)} accessibility rule(s) (WCAG 2.2 AA, axe-core):"]
        for violation in results:
            lines.append(f"  - {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"      at {target}" for target in violation["targets"])
        pytest.fail("\n".join(lines))


_NAVIGATING = ("documentElement", "Execution context was destroyed", "navigation", "axe is not defined")


def _run_axe(page) -> list[dict]:
    """axe's violations on the page as it stands once loaded.

    A click on a link returns before the next page has replaced the old one, so axe can start on
    a document that is being torn down. The check waits for the load and, if the page navigated
    under it all the same, runs again on the page that arrived (at most three times).
    """
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
            return page.evaluate(
                """async (tags) => {
                    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                    return results.violations.map((v) => ({
                        id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.map((n) => n.target.join(" ")),
                    }));
                }""",
                WCAG_TAGS,
            )
        except PlaywrightError as error:
            if attempt == 2 or not any(sign in str(error) for sign in _NAVIGATING):
                raise
            page.wait_for_timeout(200)
    return []


def visit(page, path: str):
    """Given/when: go to `path` (relative to the live server) and check the page with axe."""
    response = page.goto(path)
    axe_check(page)
    return response


def sign_in(page, username: str, password: str) -> None:
    """Given a user: sign in through the sign-in form and land on a page that names them."""
    from playwright.sync_api import expect

    from safehub.core.models import User

    expected_name = str(User.objects.get(username=username))
    visit(page, "/sign-in/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".app-signed-in")).to_contain_text(expected_name)
    axe_check(page)
