"""YouTube Data API v3: comment threads on a channel's videos."""
