-- zynk state store, version 3: the host of each run, so `zynk runs` over a store that
-- several hosts share (PostgreSQL has the same column) says where each ran.
ALTER TABLE run ADD COLUMN host TEXT;
