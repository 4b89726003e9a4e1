-- Schema 10: service, operations and EU-compliance facts (issue 4): customer-service tickets,
-- self-fulfilled shipments, listing launch tasks, ratings snapshots, and the compliance registry
-- (VAT and EPR registrations, stock locations by country). See tradewind/store/fact_schema.py.
CREATE TABLE cs_tickets (
  account_id VARCHAR NOT NULL,
  marketplace VARCHAR,
  import_id VARCHAR NOT NULL,
  source_row INTEGER NOT NULL,
  ticket_id VARCHAR NOT NULL,
  channel VARCHAR,
  language VARCHAR,
  received_ts TIMESTAMPTZ NOT NULL,
  received_date DATE NOT NULL,
  first_reply_ts TIMESTAMPTZ,
  resolved_ts TIMESTAMPTZ,
  needs_reply BOOLEAN NOT NULL,
  as_of_ts TIMESTAMPTZ NOT NULL,
  first_reply_hours DOUBLE,
  open_hours DOUBLE
);
CREATE TABLE shipments (
  account_id VARCHAR NOT NULL,
  marketplace VARCHAR,
  import_id VARCHAR NOT NULL,
  source_row INTEGER NOT NULL,
  order_id VARCHAR NOT NULL,
  shipment_no INTEGER NOT NULL,
  ship_by_ts TIMESTAMPTZ NOT NULL,
  ship_by_date DATE NOT NULL,
  shipped_ts TIMESTAMPTZ,
  ship_date DATE,
  carrier VARCHAR,
  tracking_id VARCHAR,
  delivered_ts TIMESTAMPTZ,
  as_of_ts TIMESTAMPTZ NOT NULL,
  ship_due BOOLEAN NOT NULL,
  shipped_on_time BOOLEAN,
  tracking_valid BOOLEAN
);
CREATE TABLE listing_tasks (
  account_id VARCHAR NOT NULL,
  marketplace VARCHAR,
  import_id VARCHAR NOT NULL,
  source_row INTEGER NOT NULL,
  task VARCHAR,
  sku VARCHAR NOT NULL,
  owner VARCHAR,
  planned_date DATE NOT NULL,
  launched_date DATE,
  status VARCHAR,
  is_cancelled BOOLEAN NOT NULL,
  as_of_date DATE NOT NULL,
  launch_due BOOLEAN NOT NULL,
  launched_on_time BOOLEAN,
  delay_days INTEGER
);
CREATE TABLE ratings_snapshots (
  account_id VARCHAR NOT NULL,
  marketplace VARCHAR,
  import_id VARCHAR NOT NULL,
  source_row INTEGER NOT NULL,
  snapshot_date DATE NOT NULL,
  asin VARCHAR NOT NULL,
  sku VARCHAR,
  ratings_count BIGINT NOT NULL,
  avg_rating DOUBLE
);
CREATE TABLE vat_registrations (
  account_id VARCHAR NOT NULL,
  marketplace VARCHAR,
  import_id VARCHAR NOT NULL,
  source_row INTEGER NOT NULL,
  country VARCHAR NOT NULL,
  vat_number VARCHAR,
  number_valid BOOLEAN,
  number_problem VARCHAR,
  valid_from DATE,
  valid_to DATE,
  required BOOLEAN NOT NULL
);
CREATE TABLE epr_registrations (
  account_id VARCHAR NOT NULL,
  marketplace VARCHAR,
  import_id VARCHAR NOT NULL,
  source_row INTEGER NOT NULL,
  country VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  epr_number VARCHAR,
  register VARCHAR,
  valid_from DATE,
  valid_to DATE,
  required BOOLEAN NOT NULL
);
CREATE TABLE stock_locations (
  account_id VARCHAR NOT NULL,
  marketplace VARCHAR,
  import_id VARCHAR NOT NULL,
  source_row INTEGER NOT NULL,
  country VARCHAR NOT NULL,
  location VARCHAR,
  program VARCHAR,
  sku VARCHAR,
  stored_from DATE,
  stored_to DATE,
  quantity BIGINT
);
