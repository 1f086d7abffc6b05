package io.deepstream.storage.store;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RecordStoreIT}, every pool going through PgBouncer in transaction mode.
 */
@ExtendWith(ThroughPgBouncer.class)
class RecordStoreThroughPgBouncerIT extends RecordStoreIT {

}
