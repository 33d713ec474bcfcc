"""The one check that a dashboard uid is safe to become a file name.

Grafana's own rule (grafana/grafana ``pkg/util/shortid_generator.go``: ``validUIDPattern``
``^[a-zA-Z0-9\\-\\_]*$`` and ``MaxUIDLength = 40``, enforced on save by ``ValidateUID`` and in
``pkg/services/dashboards/service/dashboard_service.go`` ``BuildSaveDashboardCommand``):
letters, digits, ``-`` and ``_``, at most 40 characters. Grafana accepts an empty uid on save
(it generates one); a file name cannot be empty, so we refuse that too. Every place a uid
becomes a file name (build, pull, import, preview) goes through ``check_uid``, so ``../x``,
an absolute path or a NUL byte can never escape the output directory.
"""

from __future__ import annotations

import re

from .errors import InputError

MAX_UID_LENGTH = 40
_UID = re.compile(r"[A-Za-z0-9_-]+")


def is_valid_uid(uid) -> bool:
    return isinstance(uid, str) and len(uid) <= MAX_UID_LENGTH and _UID.fullmatch(uid) is not None


def check_uid(uid, where: str) -> str:
    """``uid`` unchanged if it is a Grafana uid; otherwise one ``InputError`` line naming ``where``."""
    if is_valid_uid(uid):
        return uid
    shown = repr(uid) if not isinstance(uid, str) or len(uid) <= 60 else repr(uid[:57]) + "..."
    raise InputError(
        f"{where}: dashboard uid {shown} is not a Grafana uid (letters, digits, '-', '_'; at most "
        f"{MAX_UID_LENGTH} characters); refusing to use it as a file name, fix the uid"
    )


def derived_uid(text: str) -> str:
    """A uid made from ``text`` (a title slug): itself if it fits, else cut with a short hash.

    Grafana refuses uids over ``MAX_UID_LENGTH`` (``ErrUIDTooLong``), so a long title would give a
    dashboard Grafana cannot save. The hash is of the whole text, so two long titles that share
    their first 31 characters still get different uids, and the same title always the same one.
    """
    if len(text) <= MAX_UID_LENGTH:
        return text
    import hashlib  # only imports shorten uids; hashlib loads OpenSSL, and a build's start-up counts

    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{text[: MAX_UID_LENGTH - len(digest) - 1].rstrip('-_')}-{digest}"
