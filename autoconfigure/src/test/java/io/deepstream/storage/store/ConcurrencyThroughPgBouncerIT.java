package io.deepstream.storage.store;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ConcurrencyIT}, every pool going through PgBouncer in transaction mode.
 */
@ExtendWith(ThroughPgBouncer.class)
class ConcurrencyThroughPgBouncerIT extends ConcurrencyIT {

}
