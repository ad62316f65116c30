"""A plan as lines a person reads: what would be created, updated or left, field by field."""

from __future__ import annotations

from typing import Any

from flows.catalog.plan import Action, Plan

_MAX_VALUE = 70


#: Headlines of the actions that take a record out of public view or out of the catalog.
_WITHDRAWALS = {
    Action.WITHDRAW: "withdraw from public view",
    Action.WITHDRAWN: "withdrawn (already private and marked; nothing to do)",
    Action.DELETE: "delete from the catalog (purge)",
}


def plan_lines(plan: Plan) -> list[str]:
    """One headline, then one line per changed field, resource step and group change."""
    if plan.action in _WITHDRAWALS:
        return _withdrawal_lines(plan)
    visibility = "" if not plan.package else ("private" if plan.wanted_private else "public")
    lines = [f"{plan.name}: {plan.action.value} {visibility}".rstrip()]
    if _leaves_public_view(plan):
        lines[0] += " (withdrawn from public view: made private)"
    if plan.action in (Action.HOLD, Action.SKIP):
        kept = "the catalog's version stays as it is" if plan.exists else "not in the catalog"
        lines += [f"    {reason}" for reason in plan.reasons] + [f"    ({kept})"]
        return lines
    lines += [f"    {change.field}: {_show(change.catalog)} -> {_show(change.wanted)}"
              for change in plan.changes]
    lines += [f"    resource {step.kind}: {step.action}" for step in plan.resources
              if step.action != "unchanged"]
    lines += [f"    group +{name}" for name in plan.groups_add]
    lines += [f"    group -{name}" for name in plan.groups_remove]
    lines += [f"    {step.describe()}" for step in plan.datastore]
    return lines


def _withdrawal_lines(plan: Plan) -> list[str]:
    lines = [f"{plan.name}: {_WITHDRAWALS[plan.action]}"]
    lines += [f"    {reason}" for reason in plan.reasons]
    lines += [f"    {change.field}: {_show(change.catalog)} -> {_show(change.wanted)}"
              for change in plan.changes]
    lines += [f"    resource {step.kind or step.name}: delete" for step in plan.resources]
    lines += [f"    {step.describe()}" for step in plan.datastore]
    return lines


def _leaves_public_view(plan: Plan) -> bool:
    return any(change.field == "private" and change.wanted is True and not change.catalog
               for change in plan.changes)


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else repr(value.replace("\n", " "))
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 2] + "…'"
