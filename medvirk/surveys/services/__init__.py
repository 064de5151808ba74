"""Every write in the surveys module: atomic, validated, audited where staff act.

Views, management commands, background tasks and the demo all come through here. Nothing a
respondent does is written to the audit log: a log line "code used at 14:02" next to a
response would be the path from a person to their answers that Medvirk promises not to keep.

One module per aggregate: a round's access codes (``access_codes``), its recipients
(``recipients``), questionnaires, rounds, purging a round (``purge``), checking a typed code
(``code_checks``), a respondent's draft (``drafts``) and responses. This package presents
their public functions as one API (``from medvirk.surveys import services``): callers need
not know which module holds a write, and each module imports its siblings directly.
"""

from .access_codes import RoundCodes, answered_test, code_of, code_used, round_codes
from .code_checks import (
    CodeCheck,
    DatabaseStore,
    access_code_find,
    client_key,
    code_check,
    throttle_keys,
    throttle_policy,
)
from .drafts import OpenDraft, draft_for, draft_open, draft_save, preferred_language
from .purge import PurgeReport, before_purge, recipients_purge, round_key_destroy_leftover
from .questionnaires import (
    LoadedQuestionnaire,
    questionnaire_copy,
    questionnaire_load_builtin,
    questionnaire_update_texts,
)
from .recipients import (
    CodeUsed,
    ImportReport,
    recipient_replace_code,
    recipients_create,
    recipients_import,
    recipients_import_queue,
    unit_choices,
)
from .responses import AlreadySubmitted, RoundNotAccepting, response_enter, response_submit
from .rounds import (
    ROUND_FIELDS_IN_DRAFT,
    ROUND_FIELDS_WHEN_OPEN,
    round_close,
    round_create,
    round_missing,
    round_open,
    round_set_units,
    round_unit_set_contact,
    round_update,
)

__all__ = [
    "AlreadySubmitted",
    "CodeCheck",
    "CodeUsed",
    "DatabaseStore",
    "ImportReport",
    "LoadedQuestionnaire",
    "OpenDraft",
    "PurgeReport",
    "ROUND_FIELDS_IN_DRAFT",
    "ROUND_FIELDS_WHEN_OPEN",
    "RoundCodes",
    "RoundNotAccepting",
    "access_code_find",
    "answered_test",
    "before_purge",
    "client_key",
    "code_check",
    "code_of",
    "code_used",
    "draft_for",
    "draft_open",
    "draft_save",
    "preferred_language",
    "questionnaire_copy",
    "questionnaire_load_builtin",
    "questionnaire_update_texts",
    "recipient_replace_code",
    "recipients_create",
    "recipients_import",
    "recipients_import_queue",
    "recipients_purge",
    "response_enter",
    "response_submit",
    "round_close",
    "round_codes",
    "round_create",
    "round_key_destroy_leftover",
    "round_missing",
    "round_open",
    "round_set_units",
    "round_unit_set_contact",
    "round_update",
    "throttle_keys",
    "throttle_policy",
    "unit_choices",
]
