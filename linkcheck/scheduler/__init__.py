"""Scheduled operation: the Celery app, its tasks, the embedded broker, locks, the site rebuild."""
