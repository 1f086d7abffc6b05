/**
 * Pieces shared by the record store, the schema initializer and the listener: the one place
 * where identifiers are validated and quoted, record names, notification kinds and switches.
 */
@NullMarked
package io.deepstream.storage.core;

import org.jspecify.annotations.NullMarked;
