"""Check runs: open, record and close one run, in one process or as Celery chunks."""
