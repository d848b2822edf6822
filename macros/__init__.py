"""Build-time code: content YAML → validated model → rendered pages.

Nothing in this package imports MkDocs except `mkdocs_hooks`, the thin adapter.
"""
