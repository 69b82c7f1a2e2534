"""Qulaq: social-media listening and crisis communication for Kazakhstan's public bodies."""

__version__ = "0.1.0"
