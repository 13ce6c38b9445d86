"""The tables of Accord's domain model (see docs/architecture.md for the words).

Invariants are carried by the database, not by code that checks first: one assignment per
(task, annotator), one annotation per assignment, a task never leased beyond its overlap
(``CHECK taken <= overlap``), one role of a kind per member.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from accord.db.types import Document, UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

Id = BigInteger().with_variant(Integer(), "sqlite")  # SQLite only aliases rowid for INTEGER


def _pk() -> Column:
    return Column("id", Id, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Column:
    return Column(name, Id, ForeignKey(target, ondelete=ondelete), nullable=nullable)


# ── people ────────────────────────────────────────────────────────────────────────────────

users = Table(
    "users",
    metadata,
    _pk(),
    Column("name", String(120), nullable=False, unique=True),
    Column("kind", String(16), nullable=False, server_default="human"),
    Column("password_hash", String(255)),
    Column("is_admin", Boolean, nullable=False, server_default="0"),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("ai_settings", Document),  # model, backend and prompt template of an AI judge
    Column("created_at", UTCDateTime, nullable=False),
    Column("deactivated_at", UTCDateTime),  # when ``active`` last went false (migration 0010)
    CheckConstraint("kind IN ('human', 'ai', 'imported')", name="kind"),
)

profiles = Table(
    "profiles",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("languages", Document, nullable=False),
    Column("demographics", Document),  # only with consent, for pool-diversity reports
    Column("demographics_consented_at", UTCDateTime),
    Column("pay_rate_per_hour", Float),
)

user_expertise = Table(
    "user_expertise",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(64), primary_key=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    _pk(),
    _fk("user_id", "users.id"),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", String(120), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

login_sessions = Table(
    "login_sessions",
    metadata,
    _pk(),
    _fk("user_id", "users.id"),
    # SHA-256 of the cookie's random token: a stolen database holds no usable session.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    # The provider's ID token of a single sign-on login, sent back as ``id_token_hint`` when
    # the person signs out (RP-initiated logout); NULL for password logins. Not a
    # credential: the provider only reads it to know whose session to end.
    Column("id_token", Text, nullable=True),
    Index(None, "user_id"),
    Index(None, "expires_at"),
)

# Failed logins per account name and per address, shared by every server process: each
# subject's failures in the window that began at its first one (core/people/login_throttle).
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("scope", String(16), primary_key=True),  # account or address
    Column("key", String(255), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_started_at", UTCDateTime, nullable=False),
    Index(None, "window_started_at"),
)

# One-time links that bring a person in (core/admin/invites): the secret is stored only as
# its SHA-256, a link is used once, and it names what the new account gets.
invites = Table(
    "invites",
    metadata,
    _pk(),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("name", String(120)),  # the login name the link is bound to; None: the person picks
    _fk("project_id", "projects.id", nullable=True),
    Column("roles", Document, nullable=False),
    Column("expertise", Document, nullable=False),
    Column("is_admin", Boolean, nullable=False, server_default="0"),
    _fk("created_by", "users.id", nullable=True, ondelete="SET NULL"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
    _fk("used_by", "users.id", nullable=True, ondelete="SET NULL"),
)

# People who sign in through an OpenID Connect provider: the provider's (issuer, subject)
# names one Accord user for good, whatever their name or e-mail becomes there.
# ``granted_admin`` is set when the role mapping (not a person) made the user an admin, so a
# later login may take back exactly what the mapping gave (core/projects/role_mapping).
external_identities = Table(
    "external_identities",
    metadata,
    _pk(),
    _fk("user_id", "users.id"),
    Column("issuer", String(255), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("granted_admin", Boolean, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_login_at", UTCDateTime, nullable=False),
    UniqueConstraint("issuer", "subject"),
    Index(None, "user_id"),
)

# Sign-ins begun at ``/auth/oidc/login`` and not yet finished: the SHA-256 of the ``state``
# sent to the provider, with the nonce and PKCE verifier that only Accord may know. A
# callback consumes its row, so a replayed callback finds nothing.
oidc_logins = Table(
    "oidc_logins",
    metadata,
    Column("state_hash", String(64), primary_key=True),
    Column("nonce", String(128), nullable=False),
    Column("code_verifier", String(128), nullable=False),
    Column("redirect_uri", String(1024), nullable=False),
    Column("next_path", String(2048), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index(None, "expires_at"),
)

# ── projects and guidelines ──────────────────────────────────────────────────────────────

projects = Table(
    "projects",
    metadata,
    _pk(),
    Column("name", String(120), nullable=False, unique=True),
    Column("description", Text, nullable=False, server_default=""),
    Column("overlap", Integer, nullable=False, server_default="3"),
    Column("lease_seconds", Integer, nullable=False, server_default="900"),
    Column("gold_rate", Float, nullable=False, server_default="0"),
    Column("ranking_mode", String(16), nullable=False, server_default="pairwise"),
    Column("allow_ties", Boolean, nullable=False, server_default="0"),
    Column("require_rationale", Boolean, nullable=False, server_default="0"),
    Column("dimensions", Document, nullable=False),  # [{name, min, max, description}] by priority
    Column("agreement_threshold", Float, nullable=False, server_default="0.5"),
    Column("budget", Float),
    Column("settings", Document, nullable=False),  # later rules: exposure limits, breaks, …
    Column("created_at", UTCDateTime, nullable=False),
    Column("archived_at", UTCDateTime),  # archived: kept and exported, hands out no work
    CheckConstraint("overlap >= 1", name="overlap_positive"),
    CheckConstraint("lease_seconds >= 1", name="lease_positive"),
    CheckConstraint("gold_rate >= 0 AND gold_rate <= 1", name="gold_rate_share"),
    CheckConstraint("ranking_mode IN ('pairwise', 'kway')", name="ranking_mode"),
)

memberships = Table(
    "memberships",
    metadata,
    _pk(),
    _fk("project_id", "projects.id"),
    _fk("user_id", "users.id"),
    Column("role", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("project_id", "user_id", "role"),
    CheckConstraint(
        "role IN ('annotator', 'reviewer', 'safety_specialist', 'manager')", name="role"
    ),
    Index(None, "user_id"),
)

# Memberships that the single sign-on role mapping granted (not a person): a later login
# that no longer maps to the role removes exactly these, and roles given by hand stay.
mapped_memberships = Table(
    "mapped_memberships",
    metadata,
    Column("membership_id", Id, ForeignKey("memberships.id", ondelete="CASCADE"),
           primary_key=True),
)

guideline_versions = Table(
    "guideline_versions",
    metadata,
    _pk(),
    _fk("project_id", "projects.id"),
    Column("version", Integer, nullable=False),
    Column("status", String(16), nullable=False, server_default="draft"),
    Column("text", Text, nullable=False),
    Column("dimensions", Document, nullable=False),  # with definitions, scale, priority order
    Column("edge_cases", Document, nullable=False),  # ties, both bad, contested facts, …
    Column("escalation_rules", Document, nullable=False),
    Column("change_note", Text, nullable=False, server_default=""),
    Column("requires_recalibration", Boolean, nullable=False, server_default="0"),
    _fk("created_by", "users.id", nullable=True, ondelete="SET NULL"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("published_at", UTCDateTime),
    UniqueConstraint("project_id", "version"),
    CheckConstraint("status IN ('draft', 'published')", name="status"),
)

# ── the pool: prompts, responses, tasks ──────────────────────────────────────────────────

prompts = Table(
    "prompts",
    metadata,
    _pk(),
    _fk("project_id", "projects.id"),
    Column("external_id", String(255)),
    Column("messages", Document, nullable=False),
    Column("category", String(64), nullable=False, server_default="uncategorized"),
    # the category as the source wrote it, when that differs from its key (``category``)
    Column("category_label", String(200), nullable=True),
    Column("domains", Document, nullable=False),
    Column("source", String(255), nullable=False, server_default=""),
    Column("metadata", Document, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("project_id", "external_id"),
    Index(None, "project_id", "category"),
)

responses = Table(
    "responses",
    metadata,
    _pk(),
    _fk("prompt_id", "prompts.id"),
    Column("external_id", String(255), nullable=False),
    Column("content", Text, nullable=False),
    Column("model", String(255)),
    Column("sampling", Document, nullable=False),
    Column("origin", String(16), nullable=False, server_default="imported"),
    Column("prompt_tokens", Integer),
    Column("completion_tokens", Integer),
    Column("cost", Float),
    Column("created_at", UTCDateTime, nullable=False),
    # Whether the text opens like a refusal (core.tasks.refusals.opens_like_refusal), set on
    # import so the quality report need not read every response's opening; NULL: not known.
    Column("opens_with_refusal", Boolean),
    # Why the model stopped, as the backend said (``length``: cut off at the length limit);
    # NULL: not known (imported without it, or stored before migration 0008).
    Column("finish_reason", String(32)),
    # The exact model id the server was asked for (``model`` is the name people read); NULL
    # for imported responses, which name a model but no id.
    Column("model_id", Text),
    UniqueConstraint("prompt_id", "external_id"),
    CheckConstraint("origin IN ('imported', 'generated', 'annotator')", name="origin"),
)

TASK_KINDS = ("comparison", "demonstration", "red_team")
TASK_STATUSES = ("open", "complete", "needs_adjudication", "escalated", "resolved")
# The claim queue a task is in: started tasks are finished before fresh ones are opened,
# and full tasks leave the queue so the claim index never walks over them.
QUEUE_STARTED, QUEUE_FRESH, QUEUE_FULL = 0, 1, 2

tasks = Table(
    "tasks",
    metadata,
    _pk(),
    _fk("project_id", "projects.id"),
    Column("external_id", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    _fk("prompt_id", "prompts.id"),
    Column("overlap", Integer, nullable=False),
    Column("priority", Integer, nullable=False, server_default="0"),
    Column("status", String(24), nullable=False, server_default="open"),
    Column("is_gold", Boolean, nullable=False, server_default="0"),
    Column("gold_answer", Document),
    Column("requires_expertise", Boolean, nullable=False, server_default="0"),
    Column("metadata", Document, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("taken", Integer, nullable=False, server_default="0"),  # active leases + submissions
    Column("submitted", Integer, nullable=False, server_default="0"),
    Column("queue", SmallInteger, nullable=False, server_default=str(QUEUE_FRESH)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime),
    UniqueConstraint("project_id", "external_id"),
    CheckConstraint("kind IN ('comparison', 'demonstration', 'red_team')", name="kind"),
    CheckConstraint(
        "status IN ('open', 'complete', 'needs_adjudication', 'escalated', 'resolved')",
        name="status",
    ),
    CheckConstraint("overlap >= 1", name="overlap_positive"),
    CheckConstraint("taken >= 0 AND taken <= overlap", name="taken_within_overlap"),
    CheckConstraint("submitted >= 0 AND submitted <= taken", name="submitted_within_taken"),
    CheckConstraint("queue IN (0, 1, 2)", name="queue"),
    Index(None, "project_id", "status"),
)
# The claim walks this index in order: queue, then priority (highest first), then import order.
Index(
    "ix_tasks_claim_queue", tasks.c.project_id, tasks.c.queue, tasks.c.priority.desc(), tasks.c.id
)
# Gold tasks hold no slots and leave that queue; gold mixing and calibration walk this one.
Index(
    "ix_tasks_gold_queue", tasks.c.project_id, tasks.c.is_gold, tasks.c.priority.desc(),
    tasks.c.id,
)

# A worked example belongs to one guideline version and, like the version, is never edited:
# it is written at publish time. Its task link is a pointer for the reader (SET NULL if the
# task is deleted), the lesson itself lives in the title, winner and explanation.
guideline_examples = Table(
    "guideline_examples",
    metadata,
    _pk(),
    _fk("guideline_version_id", "guideline_versions.id"),
    _fk("task_id", "tasks.id", nullable=True, ondelete="SET NULL"),
    Column("position", Integer, nullable=False),  # order in the panel, from 0
    Column("title", Text, nullable=False),
    Column("better_response", Text, nullable=False, server_default=""),  # id or label that won
    Column("explanation", Text, nullable=False, server_default=""),  # Markdown
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("guideline_version_id", "position"),
    Index(None, "task_id"),
)

task_responses = Table(
    "task_responses",
    metadata,
    Column("task_id", Id, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("response_id", Id, ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True),
    Column("position", SmallInteger, nullable=False),  # order in the imported item
    UniqueConstraint("task_id", "position"),
)

task_expertise = Table(
    "task_expertise",
    metadata,
    Column("task_id", Id, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(64), primary_key=True),
)

# ── the work: assignments, annotations, pairs ────────────────────────────────────────────

assignments = Table(
    "assignments",
    metadata,
    _pk(),
    _fk("task_id", "tasks.id"),
    _fk("annotator_id", "users.id"),
    _fk("project_id", "projects.id"),
    Column("status", String(16), nullable=False, server_default="active"),
    Column("display_order", Document, nullable=False),  # response external ids as shown
    Column("leased_at", UTCDateTime, nullable=False),
    Column("lease_expires_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("skip_reason", String(64)),
    UniqueConstraint("task_id", "annotator_id"),
    CheckConstraint("status IN ('active', 'submitted', 'expired', 'skipped')", name="status"),
    Index(None, "status", "lease_expires_at"),
    Index(None, "annotator_id", "project_id", "status"),
    # An annotator's recent work: breaks, rotation, exposure and calibration rounds (with the
    # task, so counting what they saw needs no visit to the assignment row).
    Index(None, "annotator_id", "project_id", "leased_at", "task_id"),
)

annotations = Table(
    "annotations",
    metadata,
    _pk(),
    Column(
        "assignment_id",
        Id,
        ForeignKey("assignments.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    _fk("task_id", "tasks.id"),
    _fk("annotator_id", "users.id"),
    _fk("project_id", "projects.id"),
    _fk("guideline_version_id", "guideline_versions.id", nullable=True, ondelete="SET NULL"),
    Column("kind", String(16), nullable=False),
    Column("ranking", Document),  # tie groups of response external ids, best first
    Column("strength", SmallInteger),
    Column("ratings", Document),  # {response id: {dimension: value}}
    # For a pairwise annotation, the probability that the response ranked first is better
    # (0.5 to 1), from an AI judge's token probabilities or an imported label; NULL for a
    # plain human ranking. Win rates use it as a soft vote (AlpacaEval's weighted judges).
    Column("preference", Float),
    Column("rationale", Text, nullable=False, server_default=""),
    Column("flags", Document, nullable=False),
    Column("active_ms", BigInteger, nullable=False, server_default="0"),
    Column("response_text", Text),  # a demonstration
    Column("attack", Text),  # red team
    Column("model_response", Text),
    Column("harm_categories", Document),
    Column("severity", SmallInteger),
    Column("refusal_appropriate", Boolean),
    Column("late", Boolean, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    # How an AI judge reached its verdict (prompt template version, constitution, principle,
    # model, raw reply per display order); NULL for a person's annotation (migration 0006).
    Column("details", Document),
    Index(None, "project_id", "created_at"),
    Index(None, "task_id"),
)

pairwise_outcomes = Table(
    "pairwise_outcomes",
    metadata,
    _pk(),
    _fk("annotation_id", "annotations.id"),
    _fk("task_id", "tasks.id"),
    _fk("annotator_id", "users.id"),
    _fk("project_id", "projects.id"),
    _fk("winner_id", "responses.id"),  # for a tie: the lower response id of the two
    _fk("loser_id", "responses.id"),
    Column("tie", Boolean, nullable=False),
    Column("winner_position", SmallInteger, nullable=False),  # display positions, 0-based
    Column("loser_position", SmallInteger, nullable=False),
    Column("strength", SmallInteger),
    UniqueConstraint("annotation_id", "winner_id", "loser_id"),
    CheckConstraint("winner_id <> loser_id", name="distinct_responses"),
    Index(None, "project_id", "task_id"),
)

# ── what happens after: review, escalation, consensus, calibration, audit ────────────────

adjudications = Table(
    "adjudications",
    metadata,
    _pk(),
    _fk("task_id", "tasks.id"),
    _fk("reviewer_id", "users.id"),
    Column("ranking", Document),
    Column("decision", Document, nullable=False),
    Column("rationale", Text, nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "task_id"),
)

escalations = Table(
    "escalations",
    metadata,
    _pk(),
    _fk("task_id", "tasks.id"),
    _fk("annotation_id", "annotations.id", nullable=True, ondelete="SET NULL"),
    _fk("raised_by", "users.id", nullable=True, ondelete="SET NULL"),
    _fk("assigned_to", "users.id", nullable=True, ondelete="SET NULL"),
    Column("severity", SmallInteger, nullable=False, server_default="1"),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("reason", Text, nullable=False, server_default=""),
    Column("resolution", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime),
    CheckConstraint("status IN ('open', 'in_review', 'resolved')", name="status"),
    Index(None, "task_id"),
)

task_consensus = Table(
    "task_consensus",
    metadata,
    Column("task_id", Id, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("method", String(32), nullable=False),
    Column("ranking", Document, nullable=False),
    Column("margin", Float),
    Column("agreement", Float),
    Column("confidence", Float),
    Column("computed_at", UTCDateTime, nullable=False),
)

calibrations = Table(
    "calibrations",
    metadata,
    _pk(),
    _fk("project_id", "projects.id"),
    _fk("user_id", "users.id"),
    _fk("guideline_version_id", "guideline_versions.id", nullable=True, ondelete="SET NULL"),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("score", Float),
    Column("created_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    CheckConstraint("status IN ('pending', 'passed', 'failed')", name="status"),
    Index(None, "project_id", "user_id"),
)

model_calls = Table(
    "model_calls",
    metadata,
    _pk(),
    _fk("project_id", "projects.id", nullable=True, ondelete="SET NULL"),
    Column("purpose", String(32), nullable=False),  # generate, judge, draft
    Column("model", String(255), nullable=False),  # the name people read
    Column("model_id", Text),  # the exact id the server was asked for
    Column("prompt_tokens", Integer),
    Column("completion_tokens", Integer),
    Column("cost", Float),
    Column("latency_ms", Integer),
    Column("error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    # The task the call served (an AI judge's), charging its cost to the task's category;
    # NULL for generation, whose task is made after its candidates.
    _fk("task_id", "tasks.id", nullable=True, ondelete="SET NULL"),
    Index(None, "task_id"),
)

audit_events = Table(
    "audit_events",
    metadata,
    _pk(),
    Column("at", UTCDateTime, nullable=False),
    _fk("actor_id", "users.id", nullable=True, ondelete="SET NULL"),
    _fk("project_id", "projects.id", nullable=True, ondelete="SET NULL"),
    Column("action", String(64), nullable=False),
    Column("subject", String(255), nullable=False, server_default=""),
    Column("details", Document, nullable=False),
    Index(None, "project_id", "at"),
)

# Imports and exports run as jobs by the server (core/importing/jobs, core/exporting/jobs):
# an uploaded file checked and imported, or an export written to files, off the request.
data_jobs = Table(
    "data_jobs",
    metadata,
    _pk(),
    _fk("project_id", "projects.id"),
    Column("kind", String(16), nullable=False),  # import, export
    Column("status", String(16), nullable=False),  # queued, checking, importing, exporting, …
    _fk("created_by", "users.id", nullable=True, ondelete="SET NULL"),
    Column("idempotency_key", String(255)),
    Column("options", Document, nullable=False),
    Column("file_name", String(255), nullable=False, server_default=""),
    Column("file_bytes", BigInteger, nullable=False, server_default="0"),
    Column("work_dir", Text),  # the upload's or the results' folder while it exists
    Column("progress_unit", String(16), nullable=False, server_default="bytes"),
    Column("progress_done", BigInteger, nullable=False, server_default="0"),
    Column("progress_total", BigInteger, nullable=False, server_default="0"),
    Column("items_written", BigInteger, nullable=False, server_default="0"),
    Column("report", Document),
    Column("errors", Document),
    Column("error_total", Integer, nullable=False, server_default="0"),
    Column("failure", Text),
    Column("files", Document),
    Column("created_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    Column("heartbeat_at", UTCDateTime),
    CheckConstraint("kind IN ('import', 'export')", name="kind"),
    CheckConstraint("status IN ('queued', 'checking', 'importing', 'exporting', 'done', "
                    "'failed')", name="status"),
    UniqueConstraint("project_id", "created_by", "idempotency_key"),
    Index(None, "project_id", "kind", "id"),
    Index(None, "status"),
)

# ── pre-labelling (migration 0015) ────────────────────────────────────────────────────────

prelabel_draws = Table(
    "prelabel_draws",
    metadata,
    # One draw per assignment, made when the claim leased it: the arm is fixed before the
    # annotator sees anything, so the control arm is a true control.
    Column("assignment_id", Id, ForeignKey("assignments.id", ondelete="CASCADE"),
           primary_key=True),
    _fk("project_id", "projects.id"),
    _fk("judge_id", "users.id"),
    Column("draw", Float, nullable=False),  # the seeded uniform draw, recomputable
    Column("arm", String(16), nullable=False),  # shown, control, unavailable
    Column("suggestion", Document),  # the judge's ranking (shown or withheld); NULL: none
    Column("matches_suggestion", Boolean),  # set at submit: the ranking equals it
    Column("accepted", Boolean),  # set at submit: taken by the one-key accept, unchanged
    CheckConstraint("arm IN ('shown', 'control', 'unavailable')", name="arm"),
    CheckConstraint("draw >= 0 AND draw < 1", name="draw"),
    Index(None, "project_id", "arm"),
)

# ── adaptive overlap (migration 0016) ─────────────────────────────────────────────────────────────

# One row per task that a project's adaptive overlap rule decided (``core.work.
# adaptive_overlap``): how many judgments it took, the posterior confidence of its consensus
# label at that moment, and whether the rule was met (``settled``) or ``max`` was reached.
task_settlements = Table(
    "task_settlements",
    metadata,
    Column("task_id", Id, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    _fk("project_id", "projects.id"),
    Column("judgments", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("settled", Boolean, nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_share"),
    Index(None, "project_id"),
)

# The running reliability of each annotator of a project under adaptive overlap: over the
# tasks the rule decided, how many they judged and how often they agreed with the others'
# plurality (fractional on ties). Kept current in the submission that decides a task.
overlap_reliability = Table(
    "overlap_reliability",
    metadata,
    _fk("project_id", "projects.id"),
    _fk("annotator_id", "users.id"),
    Column("judged", Integer, nullable=False, server_default="0"),
    Column("agreed", Float, nullable=False, server_default="0"),
    PrimaryKeyConstraint("project_id", "annotator_id"),
    CheckConstraint("agreed >= 0 AND agreed <= judged", name="agreed_within_judged"),
)

# ── curation (migration 0017) ───────────────────────────────────────────────────────────────
# Settled labels that an independent signal doubts (``accord suspects``), and every change of
# a task's priority by active selection (``accord prioritize``), each with its run.

suspect_labels = Table(
    "suspect_labels",
    metadata,
    _pk(),
    Column("run_id", String(32), nullable=False),
    _fk("project_id", "projects.id"),
    _fk("task_id", "tasks.id"),
    Column("chosen", String(255), nullable=False),  # the consensus' winner (response external id)
    Column("rejected", String(255), nullable=False),
    Column("signal", String(300), nullable=False),  # judge:NAME or reward-model:PATH
    Column("signal_probability", Float, nullable=False),  # signal's P(chosen is better)
    Column("consensus_confidence", Float),  # the reliability-weighted consensus' own confidence
    Column("score", Float, nullable=False),  # probability that the consensus label is wrong
    Column("rank", Integer, nullable=False),  # 1 = most suspect of the run
    Column("status", String(16), nullable=False, server_default="open"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    CheckConstraint("status IN ('open', 'superseded', 'reviewed')", name="status"),
    Index(None, "project_id", "status", "task_id"),
    Index(None, "run_id"),
)

priority_changes = Table(
    "priority_changes",
    metadata,
    _pk(),
    Column("run_id", String(32), nullable=False),
    _fk("project_id", "projects.id"),
    _fk("task_id", "tasks.id"),
    Column("strategy", String(32), nullable=False),
    Column("old_priority", Integer, nullable=False),
    Column("new_priority", Integer, nullable=False),
    Column("score", Float),  # the strategy's informativeness, 0..1; None without a signal
    Column("reason", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index(None, "project_id", "at"),
    Index(None, "task_id"),
)

# ── demonstrations under review (migration 0018) ─────────────────────────────────────────
# A submitted demonstration annotation becomes version 1 of a demonstration in review;
# core/demonstrations holds the rules. ``version`` and ``reviews_in`` (reviews of the
# current version so far) are what a decision's conditional UPDATE compares, so two
# reviewers deciding at once cannot both win.
demonstrations = Table(
    "demonstrations",
    metadata,
    _pk(),
    _fk("project_id", "projects.id"),
    _fk("task_id", "tasks.id"),
    Column("annotation_id", Id, ForeignKey("annotations.id", ondelete="CASCADE"),
           nullable=False, unique=True),
    _fk("writer_id", "users.id"),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("rounds", Integer, nullable=False, server_default="0"),
    Column("reviews_needed", SmallInteger, nullable=False),
    Column("reviews_in", SmallInteger, nullable=False, server_default="0"),
    Column("double_review", Boolean, nullable=False, server_default="0"),
    Column("reject_reason", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("decided_at", UTCDateTime),
    CheckConstraint("status IN ('in_review', 'sent_back', 'accepted', 'rejected')",
                    name="status"),
    CheckConstraint("version >= 1", name="version_positive"),
    CheckConstraint("reviews_needed IN (1, 2)", name="reviews_needed"),
    CheckConstraint("reviews_in >= 0 AND reviews_in <= reviews_needed", name="reviews_in"),
    Index(None, "project_id", "status", "updated_at"),
    Index(None, "project_id", "writer_id"),
)

demonstration_versions = Table(
    "demonstration_versions",
    metadata,
    _pk(),
    _fk("demonstration_id", "demonstrations.id"),
    Column("number", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("turns", Document),  # the assistant turns of a multi-turn demonstration
    _fk("author_id", "users.id"),
    Column("reason", String(16), nullable=False),
    Column("edit_distance", Integer),  # characters changed from the previous version
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("demonstration_id", "number"),
    CheckConstraint("reason IN ('written', 'revised', 'reviewer_edit')", name="reason"),
)

demonstration_reviews = Table(
    "demonstration_reviews",
    metadata,
    _pk(),
    _fk("demonstration_id", "demonstrations.id"),
    Column("version", Integer, nullable=False),  # the version number reviewed
    _fk("reviewer_id", "users.id"),
    Column("scores", Document, nullable=False),  # {dimension: score}
    Column("checks", Document, nullable=False),  # {required check: passed}
    Column("decision", String(24), nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("edited_text", Text),  # accept with edits: the reviewer's text
    Column("blind", Boolean, nullable=False, server_default="0"),
    Column("active_ms", BigInteger, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("demonstration_id", "version", "reviewer_id"),
    CheckConstraint("decision IN ('accept', 'accept_with_edits', 'send_back', 'reject')",
                    name="decision"),
)

# ── stored reports ────────────────────────────────────────────────────────────────────────

# The last quality report computed for a project under one scope (core.report.cache): pages
# and the report API read it instead of recomputing the whole report per view. The JSON is
# the report's own document; last_annotation_id says which annotations it has counted.
report_snapshots = Table(
    "report_snapshots",
    metadata,
    Column("project_id", Id, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("scope_key", String(200), primary_key=True),
    Column("report", Text, nullable=False),
    Column("computed_at", UTCDateTime, nullable=False),
    Column("last_annotation_id", Id, nullable=False, server_default="0"),
)
