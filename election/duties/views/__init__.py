"""代表任期履职 pages: thin views — form → service → flash → redirect.

The blueprint ``bp`` is defined in ``blueprint`` (with what its pages share) and the access guards are in ``guards``;
the routes live in one module per part, imported here in the order they register on ``bp``: ``home`` (the way in, the
delegate's own page), ``activities``, ``rankings``, ``petitions``, ``proposals``, ``review`` (年度考评), ``rules``
(履职规则), ``delegates`` (the roll, status changes, 补选), ``transfer`` (「转入代表名册」 from an election result, and
the roll's bulk 工作室/代表小组 form) and ``print_pages`` (the print views).
"""
from __future__ import annotations

# isort: off
# the routes register on ``bp`` in this order: the order they had when they were one module
from election.duties.views import home, activities, rankings, petitions, proposals, review, rules, delegates, print_pages
from election.duties.views import transfer
# isort: on
from election.duties.views.blueprint import bp

__all__ = ["activities", "bp", "delegates", "home", "petitions", "print_pages", "proposals", "rankings", "review",
           "rules", "transfer"]
