"""Takes the README's screenshots from a freshly seeded portal in real Chromium.

Run with ``make screenshots``: it seeds the demo into ``var/screenshots`` (SQLite),
serves it with gunicorn on 127.0.0.1:8799 and photographs the pages below.
"""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORT = 8799
PASSWORD = "Screenshot-Demo-2004"
#: the phase the demo opens (seed_demo --open), then the pages shot in it: the board is
#: open only in the workshop work's phase
PAGES = {
    "ideenwerkstatt": [
        ("mitarbeiter", "/", "start.png"),
        ("mitarbeiter", "/zeitraster/", "timeline.png"),
        ("moderation", "/beteiligte/abstimmung/", "coordination.png"),
        ("ausschuss", "/umsetzung/dashboard/", "dashboard.png"),
    ],
    "workshop": [("moderation", "/workshops/board/", "board.png")],
}


def main() -> None:
    env = {
        **os.environ,
        "VAR_DIR": str(ROOT / "var" / "screenshots"),
        "DEMO_PASSWORD": PASSWORD,
    }
    env.pop("DATABASE_URL", None)
    python = sys.executable
    manage = [python, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "roundtable.wsgi", "--bind", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/")
                break
            except OSError:
                time.sleep(0.5)
        for phase, pages in PAGES.items():
            subprocess.run([*manage, "seed_demo", "--open", phase], cwd=ROOT, env=env, check=True)
            shoot(pages)
    finally:
        server.terminate()
        server.wait(10)


def shoot(pages) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        for username, path, name in pages:
            context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 860})
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{PORT}/accounts/login/")
            page.get_by_label("Benutzername").fill(username)
            page.get_by_label("Passwort").fill(PASSWORD)
            page.get_by_role("button", name="Anmelden").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            page.goto(f"http://127.0.0.1:{PORT}{path}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=OUT / name)
            print(f"docs/screenshots/{name}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
