"""Link health and GitHub metadata for the task-queue catalog.

Data flows one way: content -> inventory of links -> checks -> store ->
reports and build. Each step is a plain function; the CLI (``python -m
linkcheck``) and the Celery tasks (``celery -A linkcheck``) are thin wrappers.
"""

__version__ = "0.1.0"
