"""The little of Telethon the collectors use, behind a sync wrapper that turns
Telethon's errors into the runtime's. Tests give a fake with the same surface."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from collectors.runtime import AuthFailed, RateLimited, TransientError, Unavailable


class TelegramSource(Protocol):
    def entity(self, name: str) -> Any: ...

    def peer_id(self, entity: Any) -> int: ...

    def messages(
        self, entity: Any, *, limit: int, offset_id: int = 0, reply_to: int | None = None
    ) -> list[Any]:
        """Messages newest first, below `offset_id` (0: from the newest)."""
        ...

    def followers(self, entity: Any) -> int | None: ...

    def follow(self, entity: Any) -> bool:
        """Start receiving the discussion group's new, edited and deleted
        messages; False when the channel has no discussion group."""
        ...

    def pump(self, seconds: float) -> list[tuple[str, Any]]:
        """Let updates arrive for `seconds`; return them as ("new" | "edit", message)
        or ("delete", [message ids])."""
        ...

    def channel_post_of(self, top_id: int) -> int | None:
        """The channel post whose copy in the discussion group has id `top_id`."""
        ...

    def close(self) -> None: ...


class TelethonSource:
    """A logged-in user session (bots cannot read channel history)."""

    def __init__(self, session: Path, api_id: int, api_hash: str) -> None:
        from telethon.sync import TelegramClient

        # flood waits come back to the runtime, which honours them
        self.client = TelegramClient(str(session), api_id, api_hash, flood_sleep_threshold=0)
        self._run(self.client.connect)
        if not self._run(self.client.is_user_authorized):
            self.client.disconnect()
            raise AuthFailed(
                f"the Telegram session {session.name} is not logged in: run "
                "`qulaq collect telegram --login` once, interactively"
            )

    def _run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        from telethon import errors

        try:
            return fn(*args, **kwargs)
        except errors.FloodWaitError as exc:
            raise RateLimited(
                f"Telegram flood wait of {exc.seconds} s", float(exc.seconds)
            ) from None
        except (
            errors.AuthKeyError,
            errors.AuthKeyUnregisteredError,
            errors.SessionRevokedError,
            errors.UserDeactivatedError,
            errors.SessionPasswordNeededError,
        ) as exc:
            raise AuthFailed(f"the Telegram session was refused ({type(exc).__name__})") from None
        except (
            errors.ChannelPrivateError,
            errors.MsgIdInvalidError,
            errors.UsernameNotOccupiedError,
            errors.UsernameInvalidError,
            errors.ChatAdminRequiredError,
        ) as exc:
            raise Unavailable(f"Telegram: {type(exc).__name__}") from None
        except (ConnectionError, TimeoutError, OSError) as exc:
            raise TransientError(f"Telegram: {exc}") from None
        except errors.RPCError as exc:
            if getattr(exc, "code", 0) and exc.code >= 500:
                raise TransientError(f"Telegram: {exc}") from None
            raise

    def entity(self, name: str) -> Any:
        return self._run(self.client.get_entity, name)

    def peer_id(self, entity: Any) -> int:
        from telethon import utils

        return int(utils.get_peer_id(entity))

    def messages(
        self, entity: Any, *, limit: int, offset_id: int = 0, reply_to: int | None = None
    ) -> list[Any]:
        return list(
            self._run(
                self.client.get_messages,
                entity,
                limit=limit,
                offset_id=offset_id,
                reply_to=reply_to,
            )
        )

    def followers(self, entity: Any) -> int | None:
        from telethon.tl.functions.channels import GetFullChannelRequest

        full = self._run(self.client, GetFullChannelRequest(entity))
        count = getattr(full.full_chat, "participants_count", None)
        return int(count) if isinstance(count, int) else None

    def follow(self, entity: Any) -> bool:
        from telethon import events
        from telethon.tl.functions.channels import GetFullChannelRequest

        if getattr(self, "_group", None) is not None:
            return True
        full = self._run(self.client, GetFullChannelRequest(entity))
        linked = getattr(full.full_chat, "linked_chat_id", None)
        if not linked:
            return False
        self._group = self._run(self.client.get_entity, int(linked))
        self._updates: list[tuple[str, Any]] = []
        chats = [self._group]

        async def on_new(event: Any) -> None:
            self._updates.append(("new", event.message))

        async def on_edit(event: Any) -> None:
            self._updates.append(("edit", event.message))

        async def on_delete(event: Any) -> None:
            self._updates.append(("delete", list(event.deleted_ids)))

        self.client.add_event_handler(on_new, events.NewMessage(chats=chats))
        self.client.add_event_handler(on_edit, events.MessageEdited(chats=chats))
        self.client.add_event_handler(on_delete, events.MessageDeleted(chats=chats))
        return True

    def pump(self, seconds: float) -> list[tuple[str, Any]]:
        import asyncio

        self._run(self.client.loop.run_until_complete, asyncio.sleep(seconds))
        out, self._updates = self._updates, []
        return out

    def channel_post_of(self, top_id: int) -> int | None:
        found = self._run(self.client.get_messages, self._group, ids=top_id)
        forward = getattr(found, "fwd_from", None)
        post = getattr(forward, "channel_post", None)
        return int(post) if post else None

    def close(self) -> None:
        self.client.disconnect()


def login(session: Path, api_id: int, api_hash: str) -> str:
    """Interactive: phone number, code, and the cloud password if set."""
    from telethon.sync import TelegramClient

    with TelegramClient(str(session), api_id, api_hash) as client:
        me = client.get_me()
        return str(getattr(me, "username", None) or getattr(me, "id", ""))
