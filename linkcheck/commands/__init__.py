"""One module per ``python -m linkcheck`` command (see linkcheck.cli)."""
