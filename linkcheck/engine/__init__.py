"""The engine: URLs in, one verdict per URL out. Knows nothing of Pelican, Celery or SQLite.

``check`` (sync, one or several processes) and ``check_urls`` (async) are its API.
"""
