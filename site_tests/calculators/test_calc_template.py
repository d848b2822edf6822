"""macros/templates/_calculators.md.j2: the no-JavaScript plan table and rule list."""

from __future__ import annotations

import re

from calculators.catalogue import Catalogue
from calculators.defaults import default_plan
from calculators.self_check import describe_rules
from macros.render import environment

USE = '{% import "_calculators.md.j2" as calc %}{{ calc.plan_table(plan) }}\n' \
      '{{ calc.self_check_rules(rules) }}'


def test_plan_table_and_rules_render_as_one_html_block(real_cat: Catalogue) -> None:
    """Both macros give HTML with no blank lines, one row per week, every session day listed."""
    slug = next(s for s, c in sorted(real_cat.conditions.items()) if c.protocol)
    plan = default_plan(real_cat, slug)
    assert plan is not None
    rules = describe_rules(real_cat, real_cat.conditions[slug].self_check)
    html = environment().from_string(USE).render(plan=plan, rules=rules)
    assert "\n\n" not in html
    assert html.count('<tr class="hb-plan-week') == len(plan["weeks"])
    # Neighbouring sessions with the same text share a line ("Days 1, 3, 5: ..."), in order.
    listed = [
        int(day)
        for days in re.findall(r"<li>Days? ([\d, ]+):", html)
        for day in days.split(", ")
    ]
    assert listed == [s["day"] for w in plan["weeks"] for s in w["sessions"]]
    assert html.count("<li>") >= len(rules)
    assert '<ul class="hb-self-check-rules">' in html


def test_template_escapes_text(fixture_cat: Catalogue) -> None:
    """Autoescaping keeps any markup in the data inert."""
    plan = default_plan(fixture_cat, "sore-tendon")
    assert plan is not None
    html = environment().from_string(USE).render(plan=plan, rules=["<script>x</script>"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
