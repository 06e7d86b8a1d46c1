"""Link health and GitHub metadata for the task-queue catalog.

Data flows one way: content -> inventory of links -> checks -> store ->
reports and build. Each step is a plain function; the CLI (``python -m
linkcheck``) and the Celery tasks (``celery -A linkcheck``) are thin wrappers.
"""

__version__ = "0.1.0"
# Every request we make says who we are (LINKCHECK_USER_AGENT overrides it).
USER_AGENT = f"taskqueue-catalog-linkcheck/{__version__} (+https://github.com/taskqueue-catalog/linkcheck)"


def __getattr__(name: str):
    # `celery -A linkcheck` looks for `linkcheck.app` / `linkcheck.celery`: hand it the
    # scheduler's app lazily, so plain imports of the package never load Celery.
    if name in ("app", "celery"):
        from linkcheck.scheduler.app import app

        return app
    raise AttributeError(f"module 'linkcheck' has no attribute {name!r}")
