"""Inventory: every external link in the content, with where it appears (extract, collect, internal)."""
