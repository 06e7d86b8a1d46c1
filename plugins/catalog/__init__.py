"""Pelican plugin: the task-queue catalog.

Loads and validates ``content/catalog/*.yaml`` (``linkcheck.catalog``; fields in
docs/catalog.md), fails the build with ``file:line: message (how to fix)`` on bad
entries, logs warnings, puts the catalog into the template context, renders the
marker paragraphs of pages, writes the side-by-side pages of ``compare_pairs``
(``compare/A-vs-B.html``, ``compare.py``) and a page per project
(``projects/<id>.html``, ``project.py``), and writes ``sitemap.xml`` and an Atom feed of
the pages when configured. Settings: one ``CATALOG`` dict, see ``settings.py``.

Markers (each alone in its paragraph):

- ``[catalog:SECTION]``: the section's entries, through ``list_template``
  (``partials/catalog_list.html``);
- ``[catalog-more:SECTION]``: one line for the guide, "N more projects, compared
  on the projects page", through ``more_template`` (``partials/catalog_more.html``).

The guide (``guide.py``): a page whose metadata names an ``advice`` file gets it rendered as its
first part, each ``[advice:KEY]`` paragraph of that file replaced by the projects that meet the
need KEY (``linkcheck.catalog.needs``) through ``partials/advice_need.html``, or by the
side-by-side pages (``[advice:side-by-side]``, ``partials/advice_pairs.html``); the page's own text
follows, headings one level down, introduced by its ``origin`` metadata (template ``guide.html``).

Context of every template (after the ``catalog_loaded`` signal, so GitHub data is in):

- ``catalog``: the ``Catalog`` (``catalog.section(name)``, ``catalog.get(id)``);
  each ``Entry`` has ``id name url repo description_html summary group status
  status_source pypi pypi_url part_of kind added from_seed archived year type
  topic facts`` (``dict[str, Fact]``, schema order), ``fact_rows()`` ((key,
  label, Fact or None) for every fact key of its kind that applies to it: "unknown"
  where None), ``applies(key)``, ``fact_table()`` (the page's rows and the unknown
  labels folded into one line),
  ``page_url`` (a project's own page, ``projects/rq.html``, set before the signal),
  ``health``, ``github``, ``pypi_release``, ``downloads`` (None until data
  exists) and ``signs``. A ``Fact`` has ``key label value values answer
  value_labels() source note``.
- ``catalog_sections``: section -> heading; ``catalog_pages``: section -> URL of
  the page showing its full list.
- ``catalog_project_groups``: list of ``Group(key, title, entries)``, projects by
  group in schema order, "Archived / unmaintained" (key ``archived``) last.
- ``catalog_kind_sections``: the projects page's sections, ``KindSection(key, title,
  entries, facts, core)`` per kind (``linkcheck.catalog.ranking``), entries in the
  default order, inactive projects last; ``catalog_order_basis``: what that order
  rests on (``"downloads"``, ``"stars"`` or ``""``).
- ``catalog_comparisons``: the side-by-side pages (``compare.Comparison``);
  ``catalog_compare_of``: entry id -> [(the other entry, the comparison)].
- ``catalog_resource_topics``: the reading list as ``Group``s by topic, newest first.
- ``catalog_groups``: group key -> title; ``catalog_section_facts``: section ->
  its fact keys in order; ``catalog_fact_labels``: fact key -> label;
  ``catalog_vocabulary``: the enums (brokers, frameworks, protocols, groups,
  types, topics) for filters.

``list_template`` also gets ``section``, ``section_title``, ``entries`` (file
order), ``groups`` (the groups above; hosted and examples: one untitled group),
``fact_keys`` and ``heading_level`` (one below the heading above the marker).
``more_template`` gets ``section``, ``more`` (entries with ``added``), ``total``,
``target_url`` and ``target_title``. ``compare_template`` gets ``comparison`` and
a page-like ``page`` (``url``, ``title``); ``project_template`` gets ``project`` (a
``project.ProjectPage``: ``entry``, ``section``, ``comparisons``, ``alike``) and ``page``.
"""

from pelican import signals as pelican_signals

from .generator import CatalogGenerator
from .signals import catalog_loaded

__all__ = ["CatalogGenerator", "catalog_loaded", "register"]


def _get_generators(pelican_object):
    return CatalogGenerator


def register() -> None:
    pelican_signals.get_generators.connect(_get_generators)
