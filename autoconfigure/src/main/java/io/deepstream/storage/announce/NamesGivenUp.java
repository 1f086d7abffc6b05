package io.deepstream.storage.announce;

import java.net.URI;
import java.util.List;

/**
 * Record names that could not be announced to a deepstream server, for good: its cache and its
 * subscribed clients may keep their old versions until they read them again. An application can
 * resynchronise them, for instance by announcing them itself later or by restarting the clients.
 *
 * @param url the endpoint
 * @param names the record names
 * @param kind why
 * @param detail what the server said, or what went wrong
 */
public record NamesGivenUp(URI url, List<String> names, FailureKind kind, String detail) {

}
