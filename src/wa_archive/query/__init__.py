"""The read side: one function per question, rendered alike by the CLI, HTTP API and MCP."""

from .views import (
    ChatStats,
    ChatView,
    ContactView,
    EditView,
    LabelView,
    MessageView,
    ParticipantView,
    ReactionView,
    ReceiptView,
)

__all__ = [
    "ChatStats",
    "ChatView",
    "ContactView",
    "EditView",
    "LabelView",
    "MessageView",
    "ParticipantView",
    "ReactionView",
    "ReceiptView",
]
