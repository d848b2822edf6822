"""Whether a copy has "My recovery" (the journal): on, unless a clinic turned it off."""

from __future__ import annotations

from macros.clinic.model import Clinic


def journal_enabled(clinic: Clinic | None) -> bool:
    """Pass to `site_pages(..., journal=)` and `site_nav(..., journal=)`: the page, the nav
    entry, the header link (which follows the nav) and the condition pages' links go together."""
    return clinic is None or clinic.journal
