"""Author ids are pseudonymised with a keyed hash before anything is stored.

The same author on the same platform maps to the same pseudonym within one
deployment (so coordinated activity and repeat complainants stay visible), but
the mapping cannot be reversed or recomputed without the deployment's key.
"""

from __future__ import annotations

import hashlib
import hmac

from qulaq.config import Settings
from qulaq.errors import UserError

KEY_NAME = "pseudonym_key"


class Pseudonymiser:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise UserError.t(
                "secrets.short_pseudonym_key", env=f"QULAQ_{KEY_NAME.upper()}", name=KEY_NAME
            )
        self._key = key
        self._cache: dict[tuple[str, str], str] = {}

    @classmethod
    def for_settings(cls, settings: Settings) -> Pseudonymiser:
        key = settings.secret(KEY_NAME, generate=True)
        assert key is not None
        return cls(key.encode("utf-8"))

    def author(self, platform: str, author_id: str | None) -> str | None:
        if author_id is None or author_id == "":
            return None
        cache_key = (platform, author_id)
        found = self._cache.get(cache_key)
        if found is None:
            digest = hmac.new(
                self._key,
                f"{platform}\x1f{author_id}".encode("utf-8", "surrogatepass"),
                hashlib.sha256,
            ).hexdigest()
            found = "a_" + digest[:24]
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[cache_key] = found
        return found
