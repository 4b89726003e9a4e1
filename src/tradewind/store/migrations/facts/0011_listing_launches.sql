-- Schema 11: the listing tasks again, dated by launch day (issue 4). The engine dates a fact one way:
-- launches per week count by the day a listing went live, the on-time rate by the planned day.
-- Written by the same import as listing_tasks. See tradewind/store/fact_schema.py.
CREATE TABLE listing_launches (
  account_id VARCHAR NOT NULL,
  marketplace VARCHAR,
  import_id VARCHAR NOT NULL,
  source_row INTEGER NOT NULL,
  task VARCHAR,
  sku VARCHAR NOT NULL,
  owner VARCHAR,
  launched_date DATE,
  planned_date DATE NOT NULL,
  launched_on_time BOOLEAN
);
