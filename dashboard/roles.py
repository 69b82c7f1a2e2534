"""The dashboard's roles and what each may do beyond viewing the agencies in its scope."""

from __future__ import annotations

ROLES = ("press_officer", "on_call", "manager", "admin")
ALL_AGENCIES = "*"

PERMISSIONS: dict[str, frozenset[str]] = {
    "press_officer": frozenset({"work_comments", "correct_labels", "handle_alerts"}),
    "on_call": frozenset({"work_comments", "handle_alerts"}),
    "manager": frozenset({"work_comments", "handle_alerts", "export", "view_audit"}),
    "admin": frozenset(
        {"work_comments", "correct_labels", "handle_alerts", "export", "view_audit", "users"}
    ),
}
