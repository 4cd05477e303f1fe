from safehub.core.models.audit import AuditAction, AuditEvent, AuditSeal
from safehub.core.models.base import ScopedModel
from safehub.core.models.clocks import ClockOverride, NonWorkingDay
from safehub.core.models.notifications import Notification as Notification
from safehub.core.models.organisations import Agency, AgencyKind, District, Force, Team
from safehub.core.models.rulesets import RulesetVersion as RulesetVersion
from safehub.core.models.sharing import BreakGlass, ConsentStatus, LawfulBasis, Share
from safehub.core.models.users import RoleGrant, User

__all__ = [
    "Agency",
    "AgencyKind",
    "AuditAction",
    "AuditEvent",
    "AuditSeal",
    "BreakGlass",
    "ClockOverride",
    "ConsentStatus",
    "District",
    "Force",
    "LawfulBasis",
    "NonWorkingDay",
    "RoleGrant",
    "ScopedModel",
    "Share",
    "Team",
    "User",
]
