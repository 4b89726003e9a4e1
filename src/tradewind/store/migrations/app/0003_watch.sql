-- App schema 3: watch (alerts with their lifecycle, the external-variables log, reviews with action
-- items) and notification deliveries. Plain SQL that SQLite and PostgreSQL both accept. Ids are
-- assigned by Tradewind (max + 1 in the writing transaction), so no dialect-specific autoincrement is needed.

CREATE TABLE watch_alerts (
  id INTEGER NOT NULL PRIMARY KEY,
  rule_id VARCHAR(100) NOT NULL,
  kind VARCHAR(40) NOT NULL,
  severity VARCHAR(20) NOT NULL,
  status VARCHAR(20) NOT NULL,
  scope_key VARCHAR(1000) NOT NULL,
  period VARCHAR(60) NOT NULL,
  kpi VARCHAR(100),
  title TEXT NOT NULL,
  title_zh TEXT,
  detail TEXT,
  observed DOUBLE PRECISION,
  threshold DOUBLE PRECISION,
  window_from DATE,
  window_to DATE,
  evidence TEXT,
  owner VARCHAR(200),
  as_of DATE NOT NULL,
  first_seen_at TIMESTAMP NOT NULL,
  last_seen_at TIMESTAMP NOT NULL,
  status_at TIMESTAMP,
  status_by VARCHAR(200),
  status_reason TEXT,
  notified_at TIMESTAMP,
  CONSTRAINT watch_alerts_key UNIQUE (rule_id, scope_key, period)
);

CREATE INDEX watch_alerts_status ON watch_alerts (status, severity);

CREATE TABLE watch_alert_events (
  id INTEGER NOT NULL PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES watch_alerts (id),
  at TIMESTAMP NOT NULL,
  actor VARCHAR(200) NOT NULL,
  from_status VARCHAR(20),
  to_status VARCHAR(20) NOT NULL,
  note TEXT
);

CREATE INDEX watch_alert_events_alert ON watch_alert_events (alert_id);

CREATE TABLE watch_notes (
  id INTEGER NOT NULL PRIMARY KEY,
  kind VARCHAR(40) NOT NULL,
  date_from DATE NOT NULL,
  date_to DATE NOT NULL,
  scope_key VARCHAR(1000) NOT NULL,
  text TEXT NOT NULL,
  author VARCHAR(200) NOT NULL,
  created_at TIMESTAMP NOT NULL
);

CREATE INDEX watch_notes_dates ON watch_notes (date_from, date_to);

CREATE TABLE watch_reviews (
  id INTEGER NOT NULL PRIMARY KEY,
  title TEXT NOT NULL,
  held_on DATE NOT NULL,
  status VARCHAR(20) NOT NULL,
  root_cause VARCHAR(40),
  summary TEXT,
  opened_by VARCHAR(200) NOT NULL,
  opened_at TIMESTAMP NOT NULL,
  closed_at TIMESTAMP
);

CREATE TABLE watch_review_alerts (
  review_id INTEGER NOT NULL REFERENCES watch_reviews (id),
  alert_id INTEGER NOT NULL REFERENCES watch_alerts (id),
  PRIMARY KEY (review_id, alert_id)
);

CREATE TABLE watch_review_attendees (
  review_id INTEGER NOT NULL REFERENCES watch_reviews (id),
  position INTEGER NOT NULL,
  name VARCHAR(200) NOT NULL,
  PRIMARY KEY (review_id, position)
);

CREATE TABLE watch_review_findings (
  review_id INTEGER NOT NULL REFERENCES watch_reviews (id),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (review_id, position)
);

CREATE TABLE watch_action_items (
  id INTEGER NOT NULL PRIMARY KEY,
  review_id INTEGER NOT NULL REFERENCES watch_reviews (id),
  text TEXT NOT NULL,
  owner VARCHAR(200) NOT NULL,
  due DATE NOT NULL,
  status VARCHAR(20) NOT NULL,
  done_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL
);

CREATE INDEX watch_action_items_due ON watch_action_items (status, due);

CREATE TABLE notify_deliveries (
  id INTEGER NOT NULL PRIMARY KEY,
  alert_id INTEGER REFERENCES watch_alerts (id),
  channel VARCHAR(100) NOT NULL,
  channel_type VARCHAR(20) NOT NULL,
  recipients TEXT,
  status VARCHAR(20) NOT NULL,
  attempts INTEGER NOT NULL,
  error TEXT,
  at TIMESTAMP NOT NULL
);
