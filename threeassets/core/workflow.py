"""The one shape of every state machine (vouchers, cases, claims, notices, contracts, cards, disposals, alerts):
a transition table as data, one error type (core.errors.IllegalMove) for a refused move, and one way to list
what a person may do to a record. Pure; each feature's rules.py declares its table with this."""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from threeassets.core.errors import IllegalMove


@dataclass(frozen=True)
class Workflow:
    """(state, action) → next state; None as the next state means the record goes away (a deleted draft).

    `refusal` words a move the table lacks, with {state} and {action} replaced by their labels
    ("凭证{state}，不能{action}"); `refusals` may give a sentence of its own for a (state, action) pair.
    """

    transitions: Mapping[tuple[str, str], str | None]
    refusal: str
    state_labels: Mapping[str, str]
    action_labels: Mapping[str, str]
    refusals: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def allows(self, state: str, action: str) -> bool:
        """Whether the table has the move."""
        return (state, action) in self.transitions

    def why_not(self, state: str, action: str) -> str | None:
        """Why the table refuses a move, in words a clerk understands; None when it allows it."""
        if self.allows(state, action):
            return None
        return self.refusals.get((state, action)) or self.refusal.format(
            state=self.state_labels.get(state, state), action=self.action_labels.get(action, action))

    def next(self, state: str, action: str) -> str | None:
        """The state after an action, or IllegalMove saying why the current state does not allow it."""
        why = self.why_not(state, action)
        if why is not None:
            raise IllegalMove(why)
        return self.transitions[(state, action)]

    def actions(self, state: str) -> list[str]:
        """The actions the table allows in a state, in table order."""
        return [a for (s, a) in self.transitions if s == state]

    def states(self) -> set[str]:
        """Every state named in the table (as a source or a target)."""
        return {s for s, _a in self.transitions} | {t for t in self.transitions.values() if t is not None}


def refuse(why: str | None) -> None:
    """Raise IllegalMove with the reason a rule gave; None (allowed) does nothing. Services call their rule
    through this, so the sentence a clerk reads is the one the page's allowed actions were decided by."""
    if why is not None:
        raise IllegalMove(why)


def permitted(candidates: Iterable[str], permissions: Collection[str], needs: Mapping[str, str],
              refusal: Callable[[str], str | None]) -> list[str]:
    """The actions a person may take: the candidates (in order) whose permission (`needs`) the person holds and
    that the record's rule (`refusal(action)` → reason or None) does not refuse. Pages show exactly these."""
    return [a for a in candidates if needs.get(a) in permissions and refusal(a) is None]
