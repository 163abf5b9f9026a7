"""Parses Atom feeds with feedparser and checks what a feed reader relies on: the feed is
well-formed (no `bozo`), every entry has an id, a link and an RFC 3339 `updated` date, ids are
unique, and the feed's `updated` is its newest entry's (never the clock).

usage: check_feeds.py FEED.xml...   (exit 0 when all pass; one line per feed on stdout)
"""

import re
import sys

import feedparser

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def check(path):
    with open(path, "rb") as f:
        raw = f.read().decode("utf-8")
    feed = feedparser.parse(raw)
    problems = []
    if feed.bozo:
        problems.append(f"bozo: {feed.bozo_exception!r}")
    if feed.version != "atom10":
        problems.append(f"not Atom 1.0 but {feed.version!r}")
    if not feed.feed.get("id"):
        problems.append("the feed has no id")
    feed_updated = feed.feed.get("updated", "")
    if not RFC3339.match(feed_updated):
        problems.append(f"the feed's updated {feed_updated!r} is not RFC 3339")
    ids = set()
    newest = None
    for i, entry in enumerate(feed.entries):
        eid = entry.get("id")
        if not eid:
            problems.append(f"entry {i} has no id")
        elif eid in ids:
            problems.append(f"entry {i} repeats the id {eid}")
        ids.add(eid)
        if not entry.get("link"):
            problems.append(f"entry {i} has no link")
        updated = entry.get("updated", "")
        if not RFC3339.match(updated):
            problems.append(f"entry {i} ({entry.get('title')!r}) has updated {updated!r}, not RFC 3339")
        elif entry.get("updated_parsed") is None:
            problems.append(f"entry {i} has an updated date feedparser cannot read")
        else:
            parsed = entry.updated_parsed
            if newest is None or parsed > newest[0]:
                newest = (parsed, updated)
    if newest is not None and newest[1] != feed_updated:
        problems.append(f"the feed's updated {feed_updated} is not its newest entry's {newest[1]}")
    return feed, problems


def main():
    failed = False
    for path in sys.argv[1:]:
        feed, problems = check(path)
        if problems:
            failed = True
            for p in problems:
                print(f"{path}: {p}")
        else:
            print(f"{path}: ok, {len(feed.entries)} entries, updated {feed.feed.updated}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
