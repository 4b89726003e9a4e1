-- Schema 2: the import ledger (one row per imported file) and indexes for provenance look-ups.
CREATE TABLE imports (
  import_id VARCHAR PRIMARY KEY,
  file_name VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  size_bytes BIGINT NOT NULL,
  report_type VARCHAR NOT NULL,
  report_variant VARCHAR,
  account_id VARCHAR NOT NULL,
  marketplace VARCHAR,
  encoding VARCHAR,
  decimal_style VARCHAR,
  date_from DATE,
  date_to DATE,
  rows_loaded BIGINT NOT NULL,
  rows_replaced BIGINT NOT NULL,
  facts VARCHAR NOT NULL,
  imported_at TIMESTAMPTZ NOT NULL,
  imported_by VARCHAR,
  tool_version VARCHAR NOT NULL,
  notes VARCHAR
);

CREATE INDEX imports_sha ON imports(sha256);
