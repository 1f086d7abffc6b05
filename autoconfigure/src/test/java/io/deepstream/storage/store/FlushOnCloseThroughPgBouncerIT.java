package io.deepstream.storage.store;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link FlushOnCloseIT}, every pool going through PgBouncer in transaction mode.
 */
@ExtendWith(ThroughPgBouncer.class)
class FlushOnCloseThroughPgBouncerIT extends FlushOnCloseIT {

}
