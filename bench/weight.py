"""Page weight as a phone sees it: Debian's Chromium, through Playwright, opens a
page 360 px wide, scrolls to the end so lazy images load, and adds up the bytes
of every response by kind (HTML and CSS gzip-compressed, as a server sends them)."""

import gzip
import os
from urllib.parse import urlsplit


def page_weight(base: str, path: str, scale: int) -> dict:
    from playwright.sync_api import sync_playwright

    sizes = {"html": 0, "css": 0, "image": 0, "other": 0}
    hosts = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(
            viewport={"width": 360, "height": 740},
            device_scale_factor=scale,
            is_mobile=True,
            has_touch=True,
        )

        def record(response):
            hosts.add(urlsplit(response.url).hostname)
            body = response.body()
            kind = response.request.resource_type
            if kind == "document":
                sizes["html"] += len(gzip.compress(body))
            elif kind == "stylesheet":
                sizes["css"] += len(gzip.compress(body))
            elif kind == "image":
                sizes["image"] += len(body)
            else:
                sizes["other"] += len(body)

        page.on("response", record)
        page.goto(base + path, wait_until="networkidle")
        height = page.evaluate("document.body.scrollHeight")
        for _ in range(0, height + 740, 370):  # bounded: the page's own height
            page.mouse.wheel(0, 370)
            page.wait_for_timeout(60)
        page.wait_for_load_state("networkidle")
        browser.close()
    sizes["hosts"] = sorted(hosts)
    return sizes
