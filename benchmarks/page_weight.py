"""First-load weight of a list page and a detail page, as a browser fetches them (issue 11).

    IRTIS_DATA_DIR=/tmp/demo-check IRTIS_PORT=8123 ./run demo      # in another shell
    .venv/bin/python benchmarks/page_weight.py http://127.0.0.1:8123/ admin PASSWORD

Signs in, fetches each page and every stylesheet, script and font it names (fonts from the
stylesheets' `url(...)`), asking for gzip as browsers do, and counts the bytes on the wire.
The second load is what a browser that kept the static files (a year, by their hashed names)
fetches again: the page itself.
"""

import gzip
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

PAGES = {"list": "inventory/devices/", "detail": None}  # the detail page: the list's first device


def main(address: str, username: str, password: str) -> None:
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login = browser.open(address + "login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "username": username, "password": password})
    browser.open(urllib.request.Request(address + "login/", form.encode(), {"Referer": address}))

    def fetch(url: str) -> tuple[bytes, int, str]:
        """The body, the bytes it took on the wire, and how long a browser may keep it."""
        answer = browser.open(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"}))
        wire = answer.read()
        body = gzip.decompress(wire) if answer.headers.get("Content-Encoding") == "gzip" else wire
        return body, len(wire), answer.headers.get("Cache-Control", "")

    pages = dict(PAGES)
    listing = fetch(address + pages["list"])[0].decode()
    pages["detail"] = re.search(r'href="/(inventory/devices/\d+/)"', listing).group(1)
    for kind, path in pages.items():
        html, html_bytes, _ = fetch(address + path)
        text = html.decode()
        assets = re.findall(r'<(?:link rel="stylesheet" href|script src)="(/static/[^"]+)"', text)
        static_bytes, lines = 0, []
        for asset in dict.fromkeys(assets):
            body, size, cache = fetch(urllib.parse.urljoin(address, asset))
            static_bytes += size
            lines.append(f"    {size / 1024:7.1f} KB  {asset}  ({cache})")
            if asset.endswith(".css"):
                for font in re.findall(rb'url\("?([^")]+\.woff2[^")]*)"?\)', body):
                    url = urllib.parse.urljoin(urllib.parse.urljoin(address, asset), font.decode().split("?")[0])
                    size = fetch(url)[1]
                    static_bytes += size
                    lines.append(f"    {size / 1024:7.1f} KB  {urllib.parse.urlparse(url).path}")
        print(f"{kind} page /{path}: first load {(html_bytes + static_bytes) / 1024:.0f} KB "
              f"(page {html_bytes / 1024:.0f} KB, static files {static_bytes / 1024:.0f} KB); "
              f"second load {html_bytes / 1024:.0f} KB")
        print("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:4])
