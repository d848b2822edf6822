"""Build-time code: content YAML → validated model → rendered pages, in one folder per stage.

content/ reads and validates, lint/ checks across files, pages/ renders, browser/ prepares
what the browser runs, clinic/ makes a clinic's copy. Nothing here imports MkDocs except
`mkdocs_hooks`, the thin adapter.
"""
