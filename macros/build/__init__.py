"""Generate, then build: stage the pages, run a site generator on them, publish the rest."""
