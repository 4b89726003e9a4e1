-- Schema 3: Manage FBA Inventory columns kept since the first importer: whether the SKU has an FBA /
-- merchant offer, and the pan-EU split of fulfillable units (this country / other EU countries).
ALTER TABLE inventory_snapshots ADD COLUMN mfn_listing_exists BOOLEAN;
ALTER TABLE inventory_snapshots ADD COLUMN afn_listing_exists BOOLEAN;
ALTER TABLE inventory_snapshots ADD COLUMN afn_fulfillable_local BIGINT;
ALTER TABLE inventory_snapshots ADD COLUMN afn_fulfillable_remote BIGINT;
