"""policykg's web API: ``create_app(settings, store)`` and one router module per surface.

Surfaces (``shared/design/architecture.md``): ``sparql`` (SPARQL 1.1
Protocol endpoint), ``resources`` (linked data: ``/id`` → 303 → ``/doc``,
HTML pages), ``queries`` (canned queries from ``queries/*.rq``),
``validate`` (SHACL check of submitted entries, never writes) and ``meta``
(landing page, ontology, VoID, dumps). The API imports the core package
``policykg`` only, never ``loaders``.
"""

from .app import create_app

__all__ = ["create_app"]
