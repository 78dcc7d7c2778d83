-- 0023: the day a contact left (status departed), so that a past day counts the people who were
-- still there then: multithreading depth, relationships health, the map's alerts and the models'
-- features as they stood (docs/MODELS.md, "No feature from the future"). NULL for a contact who
-- is still there, and for one who left on a day no one recorded (an import, a row from before
-- this column): such a contact counts as gone on every day, as all departed contacts did before.
ALTER TABLE contacts ADD COLUMN departed_on DATE;
