"""Every model, imported once so the metadata (and Alembic) sees the whole schema."""

from .accounts.models import Invite, User, facilitator_groups
from .actions.models import Action
from .agenda.models import AgendaTopic, AgendaVote
from .core.audit import AuditEvent
from .cycles.models import Cycle, CycleQuestion, JoinCode
from .groups.models import Group, Network
from .printing.models import PdfDocument
from .questions.models import Question, QuestionText
from .responses.models import Answer, Draft, LinkKey, QuoteApproval, Response

__all__ = [
    "Action",
    "AgendaTopic",
    "AgendaVote",
    "Answer",
    "AuditEvent",
    "Cycle",
    "CycleQuestion",
    "Draft",
    "Group",
    "Invite",
    "JoinCode",
    "LinkKey",
    "Network",
    "PdfDocument",
    "Question",
    "QuestionText",
    "QuoteApproval",
    "Response",
    "User",
    "facilitator_groups",
]
