"""Every write to the organisation, each one atomic, validated and written to the audit log.

Views, management commands and the demo loader all come through here, so the staff UI and
scripts behave the same. Functions take keyword arguments only and are named
``<entity>_<verb>``. ``actor`` is the staff user doing it, or ``None`` for the system
itself (set-up commands, the demo). One module per part: ``structure`` (the municipality,
service areas, districts, units, services), ``staff`` (users and roles), ``signin``
(two-factor and sign-in locks), ``provider`` (sign-in through the municipality's OpenID
Connect provider); ``_common`` has the audit entry every one of them writes.
"""

from ._common import SYSTEM_ACTOR_NAME, audit_record
from .provider import NO_ROLE_MESSAGE, provider_roles_sync, provider_signin
from .signin import (
    BACKUP_CODE_COUNT,
    two_factor_backup_codes_renew,
    two_factor_enrol,
    user_signin_unlock,
    user_two_factor_reset,
)
from .staff import (
    USER_FIELDS,
    role_assign,
    role_revoke,
    user_create,
    user_set_password,
    user_update,
)
from .structure import (
    DISTRICT_FIELDS,
    MUNICIPALITY_FIELDS,
    SERVICE_AREA_FIELDS,
    SERVICE_TYPE_FIELDS,
    UNIT_FIELDS,
    after_min_n_change,
    after_municipality_create,
    district_create,
    district_update,
    municipality_create,
    municipality_update,
    service_area_create,
    service_area_update,
    service_type_create,
    service_type_update,
    unit_create,
    unit_service_add,
    unit_service_remove,
    unit_update,
)

__all__ = [
    "BACKUP_CODE_COUNT",
    "DISTRICT_FIELDS",
    "MUNICIPALITY_FIELDS",
    "NO_ROLE_MESSAGE",
    "SERVICE_AREA_FIELDS",
    "SERVICE_TYPE_FIELDS",
    "SYSTEM_ACTOR_NAME",
    "UNIT_FIELDS",
    "USER_FIELDS",
    "after_min_n_change",
    "after_municipality_create",
    "audit_record",
    "district_create",
    "district_update",
    "municipality_create",
    "municipality_update",
    "provider_roles_sync",
    "provider_signin",
    "role_assign",
    "role_revoke",
    "service_area_create",
    "service_area_update",
    "service_type_create",
    "service_type_update",
    "two_factor_backup_codes_renew",
    "two_factor_enrol",
    "unit_create",
    "unit_service_add",
    "unit_service_remove",
    "unit_update",
    "user_create",
    "user_set_password",
    "user_signin_unlock",
    "user_two_factor_reset",
    "user_update",
]
