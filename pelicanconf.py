"""Pelican settings for local builds (`make html`, `make serve`).

The build reads only local files: no network. publishconf.py extends this for
the published site (absolute URLs, feed, sitemap).
"""

from linkcheck.settings import Settings

AUTHOR = "The task-queue catalog maintainers"
SITENAME = "Python Task Queues"
SITE_DESCRIPTION = (
    "A curated guide to Python task queues: the projects, hosted services, "
    "open source examples and reading list."
)
# Shown after the attribution line in the footer (theme/templates/base.html).
SITE_FOOTER = "Every external link is checked on a schedule."
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
PAGE_PATHS = ["pages"]
# No blog articles: the site is a guide plus catalog pages.
ARTICLE_PATHS = ["articles"]
STATIC_PATHS: list[str] = []
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

# Pages live at the site root: /task-queues.html, /projects.html, ...
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = "{slug}.html"
DIRECT_TEMPLATES = ["index"]
ARCHIVES_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""

THEME = "theme"
THEME_STATIC_DIR = "theme"
# Autoescape: anything reaching a template from the catalog or the store is escaped
# unless a template marks it |safe on purpose (rendered page content).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        # ids on headings: the table of contents and #anchors link to them
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}

# The checker's settings, built once for this build (LINKCHECK_* variables, see
# docs/configuration.md) and handed to the plugins below: no plugin reads the environment.
_CHECKER = Settings.from_env()

# Metadata a page's source cannot carry (plugins/sitecontext): the guide's source stays the founding
# text word for word, so its title, navigation label (a short form of the title: docs/site.md),
# description and layout are set here. The `guide` template shows today's advice first (`advice`,
# a Markdown file under content/ whose [advice:...] markers the catalog plugin renders:
# plugins/catalog/guide.py), then the founding text introduced by its `origin`:
# Full Stack Python's task queues page by Matt Makai. Its first version,
#   mattmakai/fullstackpython.com@e888d555ec714eb86a6c8fcc58a965e14eefa080:
#     source/content/pages/task-queues.rst (committed 2014-02-02);
# the version our text is, word for word (tests/support/data/seed-task-queues.md),
#   mattmakai/fullstackpython.com@0cdcacd0944257d413f88a304f6bf68891669631:
#     source/content/pages/07-web-app-deployment/11-task-queues.markdown (committed 2016-04-16;
#     the page changed after it, on that site only).
PAGE_OVERRIDES = {
    "task-queues": {
        "title": "Task queue guide",
        "sidebartitle": "Guide",
        "meta": ("Which Python task queue to choose today, need by need, from the catalog's sourced facts; "
                 "then the original Full Stack Python text on task queues (2014–2016), word for word."),
        "template": "guide",
        "advice": "guide/today.md",
        "origin": {
            "title": "Task Queues",
            "site": "Full Stack Python",
            "author": "Matt Makai",
            "url": "https://www.fullstackpython.com/task-queues.html",
            "first": "2014-02-02",
            "last": "2016-04-16",
            "source": "https://github.com/mattmakai/fullstackpython.com/blob/"
                      "0cdcacd0944257d413f88a304f6bf68891669631/source/content/pages/07-web-app-deployment/"
                      "11-task-queues.markdown",
            # ours, outside the founding text: what a reader of it today should know (the claims
            # are the page's own text and the catalog's sourced lists above it)
            "note": ("Editor's note: kept as written in 2016. Since then: Huey is listed twice; the "
                     "checklist's “resources section below” is <a href=\"#task-queue-resources\">Task "
                     "queue resources</a>, above it, and today's readings are on the "
                     "<a href=\"resources.html\">reading list</a>; and against its advice not to use your "
                     "database as a queue, maintained queues now live in the database: see "
                     "<a href=\"#database\">Only a database</a> above, each with its sources."),
        },
    },
}

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["sitecontext", "catalog", "linkhealth", "github_data", "news", "search"]
CATALOG = {
    "sitemap": None,
    "feed": None,
    # Generated "X vs Y" pages (compare/celery-vs-rq.html): the choices readers bring ("Celery or
    # RQ?", "Dramatiq or Huey?") and the usual alternatives within each family of task queue
    # (general-purpose, asyncio-native, database-backed, Django-integrated). Project ids.
    "compare_pairs": (
        ("celery", "rq"), ("celery", "dramatiq"), ("celery", "huey"), ("dramatiq", "huey"),
        ("rq", "dramatiq"), ("rq", "huey"), ("rq", "arq"), ("arq", "taskiq"), ("arq", "saq"),
        ("taskiq", "saq"), ("procrastinate", "pgqueuer"), ("celery", "django-q2"),
    ),
}
# Link health from the checker's store (read only, no network); see plugins/linkhealth/settings.py.
# GitHub figures of projects from the store (read only, no network); see plugins/github_data/settings.py.
GITHUB_DATA = {
    "store": str(_CHECKER.store_path),  # LINKCHECK_STORE, default var/linkcheck.sqlite3
    # one threshold for "long" (inactive badge, "no release since ..."): LINKCHECK_QUIET_AFTER_DAYS
    "quiet_after_days": _CHECKER.quiet_after_days,
}
LINKHEALTH = {
    "store_path": str(_CHECKER.store_path),
    # when readers are told a link is broken: LINKCHECK_BROKEN_AFTER_RUNS / _HOURS
    "broken_after_runs": _CHECKER.broken_after_runs,
    "broken_after_hours": _CHECKER.broken_after_hours,
    "page": "link-health.html",
    "history_runs": 60,
}
# What's new: new entries, releases and status changes as a page and an Atom feed (the feed only when
# SITEURL is absolute, i.e. make publish); see plugins/news/settings.py and docs/site.md.
NEWS = {
    "store": str(_CHECKER.store_path),
    "days": 180,  # the window: items of the last 180 days ...
    "max_items": 50,  # ... at most 50 of them
}
# Full-text search (Pagefind, from the pagefind-bin wheel): search.html and the index in pagefind/,
# built after the site is written; see plugins/search/settings.py and docs/site.md.
SEARCH: dict[str, object] = {}

# Feeds are written by publishconf.py only (Pelican's own feeds cover blog articles; none here).
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DEFAULT_PAGINATION = False
DELETE_OUTPUT_DIRECTORY = True
