-- App schema 1: an audit log of what people did in the workspace (imports, plan edits, reviews).
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TIMESTAMP NOT NULL,
  actor VARCHAR(200) NOT NULL,
  action VARCHAR(100) NOT NULL,
  subject VARCHAR(200),
  detail TEXT
);
