"""The built-in catalogue of service types (tjenestetyper) every municipality can choose from.

Built-in types are shared by all municipalities so that results and benchmarks can be
compared across units and municipalities; a municipality may add types of its own.
Codes are stable identifiers; labels are translated.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BUILT_IN_SERVICE_TYPES: dict[str, Promise] = {
    "home_nursing": _("Home nursing"),
    "practical_assistance": _("Practical assistance / home help"),
    "day_centre": _("Day centre"),
    "nursing_home_long_term": _("Nursing home, long-term stay"),
    "nursing_home_short_term": _("Nursing home, short-term stay"),
    "sheltered_housing": _("Sheltered housing / service flat"),
    "preventive_home_visits": _("Preventive home visits"),
    "mental_health": _("Mental health services"),
    "substance_abuse": _("Substance abuse services"),
    "nav_social_services": _("NAV social services"),
    "adapted_services": _("Adapted services (intellectual disabilities)"),
    "respite_care": _("Respite care"),
    "personal_assistance": _("User-controlled personal assistance (BPA)"),
    "rehabilitation": _("Rehabilitation"),
    "acute_beds": _("Emergency inpatient beds"),
    "palliative_care": _("Palliative care"),
    "physio_occupational_therapy": _("Physiotherapy and occupational therapy"),
    "safety_alarm": _("Safety alarm"),
    "housing_services": _("Housing services"),
    "service_allocation": _("Service allocation"),
    "volunteer_cooperation": _("Cooperation with volunteers"),
    "courses_and_training": _("Courses and training"),
}
