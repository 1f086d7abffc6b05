package io.deepstream.storage.autoconfigure;

/**
 * Marks that the schema of deepstream's storage exists: beans that need it depend on this one, so the
 * schema is created before any of them is used.
 *
 * @param name the schema name
 */
public record DeepstreamStorageSchema(String name) {
}
