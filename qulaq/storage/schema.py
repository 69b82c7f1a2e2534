"""Tables. Alembic migrations in `migrations/versions` create exactly these.

Times are stored in UTC. A comment's identity is (platform, account,
comment_id); its row holds the current state (text of the newest version,
tombstone, analysis), and `comment_versions` keeps every text it ever had.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from qulaq.storage.types import LosslessText, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(512)

comments = Table(
    "comments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("account", ID, nullable=False),
    Column("comment_id", ID, nullable=False),
    Column("agency", ID, nullable=False),
    Column("agency_explicit", Boolean, nullable=False, default=False),
    Column("kind", String(16), nullable=False),  # comment | reply
    Column("post_id", ID),
    Column("parent_id", ID),
    Column("author_hash", String(64)),
    Column("author_name", Text),
    Column("is_official_reply", Boolean, nullable=False, default=False),
    Column("declared_lang", String(16)),
    Column("likes", Integer),
    Column("url", Text),
    Column("created_at", UTCDateTime, nullable=False),
    # current text: the version with the newest (version_at, rank, hash)
    Column("text", LosslessText, nullable=False),
    Column("text_at", UTCDateTime),
    Column("text_rank", Integer, nullable=False, default=0),
    Column("text_hash", String(32), nullable=False),
    Column("has_original", Boolean, nullable=False, default=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("deleted_at", UTCDateTime),
    Column("restored_at", UTCDateTime),
    # analysis of the current text
    Column("sentiment", String(16)),
    Column("p_positive", Float),
    Column("p_neutral", Float),
    Column("p_negative", Float),
    Column("lang", String(8)),
    Column("aggression", String(16)),
    Column("topics", Text),  # JSON array of topic ids
    Column("needs_answer", Boolean),
    Column("urgent", Boolean),
    Column("severity", String(8)),
    Column("answer_days", Integer),
    Column("model_version", String(64)),
    # the first official reply in the thread, by event time
    Column("answered_at", UTCDateTime),
    Column("answer_comment_id", ID),
    # provenance: which ingest run first and last brought this comment
    Column("first_run", String(64)),
    Column("last_run", String(64)),
    Column("stored_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("row_version", Integer, nullable=False, default=1),
    UniqueConstraint("platform", "account", "comment_id"),
    Index(None, "agency", "created_at"),
    Index(None, "created_at"),
    Index(None, "platform", "account", "parent_id"),
)

comment_versions = Table(
    "comment_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("account", ID, nullable=False),
    Column("comment_id", ID, nullable=False),
    Column("version_at", UTCDateTime, nullable=False),
    Column("rank", Integer, nullable=False),  # 0 original, 1 edit
    Column("text_hash", String(32), nullable=False),
    Column("text", LosslessText, nullable=False),
    Column("run", String(64)),
    Column("stored_at", UTCDateTime, nullable=False),
    UniqueConstraint("platform", "account", "comment_id", "version_at", "rank", "text_hash"),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("account", ID, nullable=False),
    Column("post_id", ID, nullable=False),
    Column("agency", ID, nullable=False),
    Column("text", LosslessText, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("url", Text),
    Column("likes", Integer),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("first_run", String(64)),
    Column("stored_at", UTCDateTime, nullable=False),
    UniqueConstraint("platform", "account", "post_id"),
    Index(None, "agency", "created_at"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # where the line came from (file and line, or topic/partition/offset) and a
    # hash of its bytes: the same line quarantined twice is kept once
    Column("origin", Text, nullable=False),
    Column("raw_hash", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("run", String(64)),
    Column("received_at", UTCDateTime, nullable=False),
    UniqueConstraint("origin", "raw_hash"),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source", String(32), nullable=False),  # replay | collector:<platform> | webhook
    Column("target", Text),  # file, account, page
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(16), nullable=False),
    Column("counts", Text),  # JSON
    Column("detail", Text),
)

bus_offsets = Table(
    "bus_offsets",
    metadata,
    Column("consumer", String(255), primary_key=True),
    Column("topic", String(255), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("offset", BigInteger, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# -- collectors: checkpoints, what each account's collector has seen, health, metrics

collector_checkpoints = Table(
    "collector_checkpoints",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("account", ID, primary_key=True),
    # "posts", "mentions", "longpoll"…: a time and an id watermark per stream
    Column("stream", String(128), primary_key=True),
    Column("at", UTCDateTime),
    Column("item_id", ID),
    Column("run", String(64)),
    Column("updated_at", UTCDateTime, nullable=False),
)

collector_seen = Table(
    "collector_seen",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("account", ID, primary_key=True),
    Column("kind", String(8), primary_key=True),  # post | comment
    Column("item_id", ID, primary_key=True),
    Column("post_id", ID),
    Column("parent_id", ID),
    Column("text_hash", String(32), nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("official", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("first_run", String(64)),
    Column("last_run", String(64)),
    Column("seen_at", UTCDateTime, nullable=False),
    Index(None, "platform", "account", "post_id"),
)

collector_health = Table(
    "collector_health",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("account", ID, primary_key=True),
    Column("target", Text),
    Column("status", String(16), nullable=False),  # ok | failing | rate_limited | auth
    Column("last_run", String(64)),
    Column("last_attempt_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("last_error", Text),
    Column("last_error_at", UTCDateTime),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("newest_item_at", UTCDateTime),
    Column("published_total", BigInteger, nullable=False, default=0),
    Column("rate_limit_waits", Integer, nullable=False, default=0),
    Column("updated_at", UTCDateTime, nullable=False),
)

account_metrics = Table(
    "account_metrics",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("account", ID, primary_key=True),
    Column("day", String(10), primary_key=True),  # YYYY-MM-DD (UTC) of the measurement
    Column("measured_at", UTCDateTime, nullable=False),
    Column("posts", Integer),  # as the platform counts them, else posts seen
    Column("posts_seen", Integer, nullable=False, default=0),
    Column("comments", Integer, nullable=False, default=0),  # citizens' comments and replies
    Column("official_replies", Integer, nullable=False, default=0),
    Column("answered_comments", Integer, nullable=False, default=0),
    Column("reply_rate", Float),
    Column("followers", Integer),
    Column("run", String(64)),
)

# -- dashboard: users and their sessions, what was viewed and exported, the comment work
# queue, press officers' label corrections, alert handling, and the hourly rollups the
# pages are served from

dashboard_users = Table(
    "dashboard_users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("display_name", Text),
    Column("role", String(16), nullable=False),  # press_officer | on_call | manager | admin
    Column("agencies", Text, nullable=False),  # JSON list of agency ids; ["*"] for all
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

dashboard_sessions = Table(
    "dashboard_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Index(None, "username"),
)

dashboard_audit = Table(
    "dashboard_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("username", String(64)),  # None: the read-only local mode
    Column("action", String(32), nullable=False),  # login | view | export | assign | …
    Column("target", Text),
    Column("detail", Text),  # JSON
    Index(None, "at"),
)

comment_work = Table(
    "comment_work",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("account", ID, primary_key=True),
    Column("comment_id", ID, primary_key=True),
    Column("agency", ID, nullable=False),
    Column("status", String(24), nullable=False),  # open | answered | redirected | no_answer_needed
    Column("assignee", String(64)),
    Column("redirected_to", ID),
    Column("note", Text),
    Column("updated_by", String(64)),
    Column("updated_at", UTCDateTime, nullable=False),
    Index(None, "agency", "status"),
)

label_corrections = Table(
    "label_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("account", ID, nullable=False),
    Column("comment_id", ID, nullable=False),
    Column("head", String(16), nullable=False),  # sentiment | aggression | urgency
    Column("label", String(16), nullable=False),
    Column("previous", String(16)),
    Column("by", String(64)),
    Column("at", UTCDateTime, nullable=False),
)

alert_work = Table(
    "alert_work",
    metadata,
    Column("alert_id", String(128), primary_key=True),
    Column("agency", ID, nullable=False),
    Column("acknowledged_by", String(64)),
    Column("acknowledged_at", UTCDateTime),
    Column("assignee", String(64)),
    Column("note", Text),
    Column("updated_by", String(64)),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Counts per agency, account and UTC hour (hours since the epoch), recomputed for the hours
# whose comments changed since the last refresh (comments.updated_at).
rollup_hourly = Table(
    "rollup_hourly",
    metadata,
    Column("agency", ID, primary_key=True),
    Column("hour", Integer, primary_key=True),
    Column("platform", String(16), primary_key=True),
    Column("account", ID, primary_key=True),
    Column("comments", Integer, nullable=False, default=0),  # citizens', deleted included
    Column("official", Integer, nullable=False, default=0),
    Column("negative", Integer, nullable=False, default=0),
    Column("neutral", Integer, nullable=False, default=0),
    Column("positive", Integer, nullable=False, default=0),
    Column("aggression", Integer, nullable=False, default=0),
    Column("strong", Integer, nullable=False, default=0),
    Column("needs_answer", Integer, nullable=False, default=0),
    Column("urgent", Integer, nullable=False, default=0),
    Column("answered", Integer, nullable=False, default=0),  # citizens' with an official reply
    Column("answer_seconds", Float, nullable=False, default=0.0),  # summed over `answered`
    Column("lang_kk", Integer, nullable=False, default=0),
    Column("lang_ru", Integer, nullable=False, default=0),
    Column("lang_en", Integer, nullable=False, default=0),
    Column("lang_mixed", Integer, nullable=False, default=0),
    Column("likes", BigInteger, nullable=False, default=0),
    Index(None, "hour"),
)

rollup_topics = Table(
    "rollup_topics",
    metadata,
    Column("agency", ID, primary_key=True),
    Column("hour", Integer, primary_key=True),
    Column("topic", String(64), primary_key=True),
    Column("comments", Integer, nullable=False, default=0),
    Column("negative", Integer, nullable=False, default=0),
    Index(None, "hour"),
)

rollup_state = Table(
    "rollup_state",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("watermark", UTCDateTime),  # comments updated up to here are in the rollups
    Column("refreshed_at", UTCDateTime, nullable=False),
)

# What the rollups and the work queue look up on `comments`.
Index("ix_comments_updated_at", comments.c.updated_at)
Index("ix_comments_agency_needs_answer", comments.c.agency, comments.c.needs_answer)

# -- playbooks: runs and their steps, the append-only audit log, the notification outbox

playbook_runs = Table(
    "playbook_runs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("incident_id", ID, nullable=False),  # one run per incident
    Column("playbook", String(64), nullable=False),
    Column("playbook_version", String(32), nullable=False),  # digest of the file it followed
    Column("agency", ID, nullable=False),
    Column("alert_id", ID, nullable=False),  # the alert that started it
    Column("alerts", Text, nullable=False),  # JSON array: every alert of the incident seen
    Column("severity", Integer, nullable=False),
    Column("triage", String(8), nullable=False),
    Column("status", String(16), nullable=False),  # active | completed | cancelled
    Column("drill", Boolean, nullable=False, default=False),
    Column("clock_mode", String(8), nullable=False),  # event | wall
    Column("started_at", UTCDateTime, nullable=False),
    Column("clock", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("summary", Text),  # of the latest alert
    Column("topic", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("incident_id"),
    Index(None, "agency", "started_at"),
    Index(None, "status"),
)

playbook_steps = Table(
    "playbook_steps",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("step", String(32), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("role", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("opens_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("opened_at", UTCDateTime),
    Column("escalation_level", Integer, nullable=False, default=0),
    Column("acknowledged_at", UTCDateTime),
    Column("acknowledged_by", String(255)),
    Column("done_at", UTCDateTime),
    Column("done_by", String(255)),
    Column("overdue", Boolean, nullable=False, default=False),
    Column("note", Text),
)

playbook_audit = Table(
    "playbook_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(64)),
    Column("step", String(32)),
    Column("at", UTCDateTime, nullable=False),  # when it happened (event time in replays)
    Column("recorded_at", UTCDateTime, nullable=False),  # wall time of the entry
    Column("actor", String(255), nullable=False),  # system, a person, telegram:<user>
    Column("action", String(32), nullable=False),
    Column("channel", String(16)),
    Column("recipient", String(128)),
    Column("message", LosslessText),  # the text sent, for notifications
    Column("detail", Text),  # JSON
    Index(None, "run_id", "at"),
)

playbook_outbox = Table(
    "playbook_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(255), nullable=False),  # dedup: one delivery per key, ever
    Column("run_id", String(64)),
    Column("step", String(32)),
    Column("kind", String(32), nullable=False),
    Column("person", String(128), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("address", Text, nullable=False),
    Column("lang", String(4), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", LosslessText, nullable=False),
    Column("payload", Text),  # JSON: buttons, structured fields for webhooks
    Column("severity", Integer, nullable=False, default=0),
    Column("urgent", Boolean, nullable=False, default=False),
    Column("drill", Boolean, nullable=False, default=False),
    Column("event_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("not_before", UTCDateTime, nullable=False),  # low severities wait for office hours
    Column("status", String(16), nullable=False),  # pending | sending | sent | failed | suppressed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Column("last_error", Text),
    Column("external_id", String(255)),
    UniqueConstraint("key"),
    Index(None, "status", "next_attempt_at"),
    Index(None, "person", "channel", "sent_at"),
)

playbook_state = Table(
    "playbook_state",
    metadata,
    Column("key", String(128), primary_key=True),  # stream clock, Telegram offset, last digest
    Column("value", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# -- signals: what the detectors have counted, their checkpointed state, the alerts they
# raised (with every change), the incidents that group them, and 15-minute figures per
# agency and per topic that risk and the regional map are computed from

signal_comments = Table(
    "signal_comments",
    metadata,
    # signals.features.identity_key(platform, account, comment_id): the same comment
    # is counted once (16 characters of prefix, then an id of up to 512)
    Column("comment_key", String(528), primary_key=True),
    Column("agency", ID, nullable=False),
    Column("platform", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("official", Boolean, nullable=False, default=False),
    Column("parent_key", String(528)),  # official replies: the comment answered
    Column("needs_answer", Boolean, nullable=False, default=False),
    Column("urgent", Boolean, nullable=False, default=False),
    Column("due_at", UTCDateTime),  # triage deadline
    Column("answered_at", UTCDateTime),  # first official reply, event time
    Index(None, "agency", "created_at"),
    Index(None, "parent_key"),
)

signal_buckets = Table(
    "signal_buckets",
    metadata,
    Column("agency", ID, primary_key=True),
    Column("start", UTCDateTime, primary_key=True),  # 15 minutes of event time
    Column("comments", Integer, nullable=False, default=0),  # citizens' comments and replies
    Column("negative", Integer, nullable=False, default=0),
    Column("positive", Integer, nullable=False, default=0),
    Column("aggressive", Integer, nullable=False, default=0),
    Column("strong", Integer, nullable=False, default=0),
    Column("urgent", Integer, nullable=False, default=0),
    Column("needs_answer", Integer, nullable=False, default=0),
    Column("rumours", Integer, nullable=False, default=0),
    Column("official", Integer, nullable=False, default=0),
    Index(None, "start"),
)

signal_topic_buckets = Table(
    "signal_topic_buckets",
    metadata,
    Column("agency", ID, primary_key=True),
    Column("start", UTCDateTime, primary_key=True),
    Column("topic", String(64), primary_key=True),
    Column("comments", Integer, nullable=False, default=0),
    Column("negative", Integer, nullable=False, default=0),
    Index(None, "start"),
)

signal_state = Table(
    "signal_state",
    metadata,
    Column("agency", ID, primary_key=True),
    Column("state", LargeBinary, nullable=False),  # zlib-compressed JSON of the monitor
    Column("watermark", UTCDateTime),  # the agency's clock: newest event time seen
    Column("next_due", UTCDateTime),  # event time at which the next bucket is judged
    Column("first_at", UTCDateTime),  # the agency's first comment counted
    Column("updated_at", UTCDateTime, nullable=False),
)

signal_daily = Table(
    "signal_daily",
    metadata,
    # answers at each local midnight (event time): the last 7 days' comments that needed one
    Column("agency", ID, primary_key=True),
    Column("day", UTCDateTime, primary_key=True),
    Column("needs_answer", Integer, nullable=False, default=0),
    Column("unanswered", Integer, nullable=False, default=0),
    Column("overdue", Integer, nullable=False, default=0),  # past the triage deadline
    Column("answered", Integer, nullable=False, default=0),
    Column("median_answer_hours", Float),
    Column("overdue_30d", Integer, nullable=False, default=0),
    Column("newly_overdue", Integer, nullable=False, default=0),  # deadline passed that day
    Column("urgent_unanswered", Integer, nullable=False, default=0),  # a day without answer
    Index(None, "day"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("agency", ID, nullable=False),
    Column("family", String(16), nullable=False),  # crisis | service | positive
    Column("status", String(16), nullable=False),  # open | acknowledged | resolved
    Column("severity", Integer, nullable=False),
    Column("kinds", Text, nullable=False),  # JSON list of alert kinds
    Column("summary", Text),
    Column("routed_to", ID),  # the body responsible on the day it opened
    Column("owner", String(128)),
    Column("opened_at", UTCDateTime, nullable=False),  # event time of the first alert
    Column("due_at", UTCDateTime, nullable=False),  # the 24-hour clock
    Column("last_alert_at", UTCDateTime, nullable=False),
    Column("open_alerts", Integer, nullable=False, default=0),
    Column("alert_count", Integer, nullable=False, default=0),
    Column("acknowledged_at", UTCDateTime),
    Column("acknowledged_by", String(128)),
    Column("resolved_at", UTCDateTime),
    Column("resolved_by", String(128)),
    Column("resolution", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index(None, "agency", "status"),
    Index(None, "opened_at"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("agency", ID, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("severity", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # open | acknowledged | closed
    Column("raised_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("window_start", UTCDateTime, nullable=False),
    Column("window_end", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("observed", Float, nullable=False),
    Column("expected", Float, nullable=False),
    Column("negative_share", Float),
    Column("summary", Text, nullable=False),
    Column("incident_id", String(64), nullable=False),
    Column("platform", String(16)),
    Column("topic", String(64)),
    Column("persistence", Integer, nullable=False, default=1),
    Column("body", Text, nullable=False),  # the alert's wire form (JSON)
    Column("stored_at", UTCDateTime, nullable=False),
    Index(None, "agency", "raised_at"),
    Index(None, "incident_id"),
)

alert_changes = Table(
    "alert_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", String(64), nullable=False),
    Column("change", String(16), nullable=False),  # raised | updated | escalated | closed
    Column("at", UTCDateTime, nullable=False),  # event time
    Column("severity", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Index(None, "alert_id"),
)
