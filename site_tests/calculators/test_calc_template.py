"""macros/pages/templates/_calculators.md.j2: the no-JavaScript default plan and rule list."""

from __future__ import annotations

import json

from calculators.catalogue import Catalogue
from calculators.defaults import default_plan
from calculators.plan_view import render_plan
from calculators.self_check import describe_rules
from macros.pages.calculator_views import condition_extras
from macros.pages.render import environment

USE = (
    '{% import "_calculators.md.j2" as calc %}{{ calc.default_plan(plan_html) }}\n'
    "{{ calc.self_check_rules(rules) }}"
)


def test_the_page_prints_the_renderers_plan_as_it_is(real_cat: Catalogue) -> None:
    """The build includes calculators.plan_view's HTML unchanged (the browser shows the same
    renderer's output), after a line saying it is the default; no blank line for Markdown."""
    slug = next(s for s, c in sorted(real_cat.conditions.items()) if c.protocol)
    plan = default_plan(real_cat, slug)
    assert plan is not None
    rules = describe_rules(real_cat, real_cat.conditions[slug].self_check)
    plan_html = render_plan(plan)
    html = environment().from_string(USE).render(plan_html=plan_html, rules=rules)
    assert "\n\n" not in html
    assert html.count(plan_html) == 1
    assert html.index("Default plan") < html.index(plan_html)
    assert html.count("<li>") >= len(rules)
    assert '<ul class="hb-self-check-rules">' in html


def test_each_pages_plan_html_is_its_default_plan_rendered(real_json: str) -> None:
    """The build's data: render_plan of the default plan, or nothing without a plan."""
    extras = condition_extras(json.loads(real_json))
    with_plan = [e for e in extras.values() if e["plan"] is not None]
    assert with_plan
    for extra in extras.values():
        expected = None if extra["plan"] is None else render_plan(extra["plan"])
        assert extra["plan_html"] == expected


def test_template_escapes_the_rules(fixture_cat: Catalogue) -> None:
    """Autoescaping keeps any markup in a rule inert."""
    plan = default_plan(fixture_cat, "sore-tendon")
    assert plan is not None
    html = (
        environment()
        .from_string(USE)
        .render(plan_html=render_plan(plan), rules=["<script>x</script>"])
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
