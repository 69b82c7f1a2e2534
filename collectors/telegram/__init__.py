"""Telegram (Telethon, a user session): a channel's posts and the comments in its
discussion group; listening in public channels and chats for agency mentions."""
