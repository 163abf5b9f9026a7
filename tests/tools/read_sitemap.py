"""Reads a sitemap index and the sitemaps it lists from a built site (the URLs mapped back to files
under the site's folder), checking that each is well-formed XML in the sitemaps.org namespace,
that every URL is absolute under the base URL, and that no sitemap holds more than 50,000 URLs.

usage: read_sitemap.py SITE_DIR BASE_URL   (prints every page URL, one a line; exit 1 on a problem)
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LIMIT = 50_000


def locs(path, root_tag, child_tag):
    tree = ET.parse(path)
    root = tree.getroot()
    if root.tag != NS + root_tag:
        raise SystemExit(f"{path}: root element {root.tag}, expected {NS + root_tag}")
    children = root.findall(NS + child_tag)
    if len(children) > LIMIT:
        raise SystemExit(f"{path}: {len(children)} entries, more than {LIMIT}")
    out = []
    for child in children:
        loc = child.find(NS + "loc")
        if loc is None or not loc.text:
            raise SystemExit(f"{path}: an entry without loc")
        out.append(loc.text.strip())
    return out


def main():
    site = Path(sys.argv[1])
    base = sys.argv[2]
    for sitemap in locs(site / "sitemap.xml", "sitemapindex", "sitemap"):
        if not sitemap.startswith(base):
            raise SystemExit(f"sitemap {sitemap} is not under {base}")
        for url in locs(site / sitemap[len(base):], "urlset", "url"):
            if not url.startswith(base):
                raise SystemExit(f"{sitemap}: {url} is not under {base}")
            print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
