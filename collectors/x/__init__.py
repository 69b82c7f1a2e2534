"""X (formerly Twitter) through tweepy's API v2 client: replies and mentions."""
