"""Pelican settings for the published site (`make publish`).

SITEURL comes from the environment (e.g. SITEURL=https://queues.example.org make publish):
absolute URLs, canonical links, an Atom feed of the pages and sitemap.xml.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
if not SITEURL.startswith(("http://", "https://")):
    raise SystemExit(
        "publishconf.py: set SITEURL to the absolute address of the site, "
        "e.g. SITEURL=https://queues.example.org make publish"
    )
RELATIVE_URLS = False

CATALOG = {
    **CATALOG,  # noqa: F405
    "sitemap": "sitemap.xml",
    "feed": "feeds/all.atom.xml",
}
