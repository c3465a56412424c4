"""Swagger UI in a headless browser: the time from navigating to each API's `/ui/` to its operations
list rendered (the first `.opblock`), in a fresh browser context each time (nothing cached).

Drives the machine's Chromium with playwright-core, installed with npm into a cache directory outside
the repository on first use; no network is needed beyond that install.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from mockserver.bench.http import free_port, process
from mockserver.bench.npm import installed

PAGES = {"align": "/align/api/v1/ui/", "contracting": "/contracting/ui/", "productive": "/productive/api/v2/ui/"}
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_MS = 30_000

# argv: base URL, rounds, then the page paths; prints one JSON line per page load
SCRIPT = """
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
(async () => {
  const [base, rounds, ...paths] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: process.env.BROWSER, args: ['--no-sandbox'] });
  for (let round = 0; round < Number(rounds); round++) {
    for (const path of paths) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(base + path, { waitUntil: 'commit' });
      await page.waitForSelector('.opblock', { timeout: Number(process.env.TIMEOUT_MS) });
      console.log(JSON.stringify({ path, ms: Date.now() - started }));
      await context.close();
    }
  }
  await browser.close();
})().catch((error) => { console.error(error.message); process.exit(1); });
"""


def playwright_core() -> Path | None:
    """playwright-core from the cache directory, installed there with npm when missing; None without npm."""
    return installed("playwright", "playwright-core@1", "playwright-core")


def measure(rounds: int) -> None:
    print(f"Swagger UI in headless Chromium: navigation to the operations list rendered, {rounds} rounds, medians\n")
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None or shutil.which("node") is None:
        print("skipped: needs Chromium and Node.js (apt-get install chromium nodejs npm)\n")
        return
    package = playwright_core()
    if package is None:
        print("skipped: npm is not installed to fetch playwright-core\n")
        return
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "mockserver", "serve", "--port", str(port)]
    with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False) as script:
        script.write(SCRIPT)
    environment = {**os.environ, "PLAYWRIGHT_CORE": str(package), "BROWSER": browser, "TIMEOUT_MS": str(TIMEOUT_MS)}
    try:
        with process(command, base + "/__admin/health"):
            run = subprocess.run(
                ["node", script.name, base, str(rounds), *PAGES.values()],
                capture_output=True,
                text=True,
                env=environment,
            )
    finally:
        os.unlink(script.name)
    if run.returncode != 0:
        print(f"skipped: the browser run failed: {run.stderr.strip().splitlines()[-1:]}\n")
        return
    times: dict[str, list[float]] = {}
    for line in run.stdout.splitlines():
        load = json.loads(line)
        times.setdefault(load["path"], []).append(load["ms"] / 1000)
    for api, path in PAGES.items():
        loads = times.get(path, [])
        shown = ", ".join(f"{seconds:.2f}" for seconds in loads)
        print(f"  {api:<12} {statistics.median(loads):>5.2f} s   ({shown})")
    print()
