-- zynk state store, version 2: the process id of each run, so `zynk runs` can tell a run
-- still going from one whose process died (shown as `died`).
ALTER TABLE run ADD COLUMN pid INTEGER;
