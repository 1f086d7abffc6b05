-- Refers to what deepstream's schema initializer creates: fails unless the migration runs after it.
COMMENT ON FUNCTION "${dsSchema}".deepstream_record_change() IS 'seen by a Flyway migration';
