"""Build-time code: content YAML → validated model → rendered pages, in one folder per stage.

content/ reads and validates, lint/ checks across files, pages/ renders, browser/ prepares
what the browser runs, clinic/ makes a clinic's copy, and build/ runs them in order around a
site generator (MkDocs, ProperDocs or Zensical), which it runs as a command and never imports.
"""
