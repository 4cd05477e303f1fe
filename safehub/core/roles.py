"""Roles a Safehub user can hold, and what each kind of role may see.

Stored values never change; labels may. Person-level roles see person records through their
agency, a share, a district-wide role scope or break-glass. Aggregate roles never see person-level
data, whatever their agency.
"""

from django.db import models


class Role(models.TextChoices):
    CALL_HANDLER = "call_handler", "Call handler"
    OFFICER = "officer", "Police officer"
    MASH_PRACTITIONER = "mash_practitioner", "MASH practitioner"
    MASH_MANAGER = "mash_manager", "MASH manager"
    IDVA = "idva", "IDVA"
    MISSING_COORDINATOR = "missing_coordinator", "Missing person coordinator"
    PARTNER_PRACTITIONER = "partner_practitioner", "Partner practitioner"
    PARTNERSHIP_MANAGER = "partnership_manager", "Safeguarding partnership manager"
    RECORDS_MANAGER = "records_manager", "Records manager (review, retention and disposal)"
    ANALYST = "analyst", "Analyst"
    COMMISSIONER = "commissioner", "Commissioner"
    AUDITOR = "auditor", "Auditor"
    ADMIN = "admin", "Administrator"


PERSON_LEVEL_ROLES = frozenset(
    {
        Role.CALL_HANDLER,
        Role.OFFICER,
        Role.MASH_PRACTITIONER,
        Role.MASH_MANAGER,
        Role.IDVA,
        Role.MISSING_COORDINATOR,
        Role.PARTNER_PRACTITIONER,
        Role.PARTNERSHIP_MANAGER,
        Role.RECORDS_MANAGER,
    }
)
# Role scope: these roles see every person-level record in their own district (the MASH
# researches across agencies), not only their agency's.
DISTRICT_WIDE_ROLES = frozenset({Role.MASH_PRACTITIONER, Role.MASH_MANAGER})
AGGREGATE_ROLES = frozenset({Role.ANALYST, Role.COMMISSIONER})
