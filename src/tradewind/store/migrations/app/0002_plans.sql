-- App schema 2: plans (targets), their versions, the target cells of each version and level targets.
-- A plan is never edited in place: every change is a new version with who, when, why and the diff.
-- Amounts are integers in minor units (cents for money, units for counts): never floats for money.
-- Dimension columns a plan does not split by hold '' (so they can be part of the primary key).
CREATE TABLE plans (
  name VARCHAR(100) NOT NULL PRIMARY KEY,
  kpi VARCHAR(100) NOT NULL,
  kind VARCHAR(20) NOT NULL,
  plan_year INTEGER NOT NULL,
  start_month INTEGER NOT NULL,
  currency VARCHAR(3) NOT NULL,
  unit VARCHAR(20) NOT NULL,
  scale INTEGER NOT NULL,
  levels VARCHAR(200) NOT NULL,
  owner VARCHAR(200),
  status VARCHAR(20) NOT NULL,
  created_at TIMESTAMP NOT NULL,
  created_by VARCHAR(200) NOT NULL
);

CREATE TABLE plan_versions (
  plan_name VARCHAR(100) NOT NULL,
  version INTEGER NOT NULL,
  created_at TIMESTAMP NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  reason TEXT NOT NULL,
  effective_from DATE NOT NULL,
  kpi_version VARCHAR(100) NOT NULL,
  total_minor BIGINT NOT NULL,
  data_source TEXT,
  settings TEXT NOT NULL,
  diff TEXT,
  PRIMARY KEY (plan_name, version)
);

CREATE TABLE plan_cells (
  plan_name VARCHAR(100) NOT NULL,
  version INTEGER NOT NULL,
  month VARCHAR(7) NOT NULL,
  marketplace VARCHAR(20) NOT NULL,
  channel VARCHAR(100) NOT NULL,
  sku VARCHAR(200) NOT NULL,
  person VARCHAR(200) NOT NULL,
  amount_minor BIGINT NOT NULL,
  held BOOLEAN NOT NULL,
  PRIMARY KEY (plan_name, version, month, marketplace, channel, sku, person)
);

CREATE TABLE plan_level_targets (
  plan_name VARCHAR(100) NOT NULL,
  version INTEGER NOT NULL,
  kpi VARCHAR(100) NOT NULL,
  kpi_version VARCHAR(100) NOT NULL,
  scope VARCHAR(500) NOT NULL,
  period VARCHAR(20) NOT NULL,
  comparator VARCHAR(10) NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  upper_value DOUBLE PRECISION,
  owner VARCHAR(200),
  data_source TEXT,
  gate BOOLEAN NOT NULL,
  PRIMARY KEY (plan_name, version, kpi, scope, period)
);
