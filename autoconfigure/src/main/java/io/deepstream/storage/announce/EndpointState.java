package io.deepstream.storage.announce;

import java.net.URI;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the announcer knows about one deepstream server, for health checks, metrics and logs.
 *
 * @param url the endpoint
 * @param failing whether the last request failed (names wait and are retried)
 * @param pendingNames names waiting or in flight
 * @param requests requests answered with success
 * @param failedRequests requests that failed
 * @param namesAnnounced names the server acknowledged
 * @param namesGivenUp names given up on, for good
 * @param lastFailure the kind of the last failure, or null if none yet
 * @param lastFailureDetail what the last failure said, or null
 * @param lastSuccess when a request last succeeded, or null
 */
public record EndpointState(URI url, boolean failing, int pendingNames, long requests, long failedRequests,
		long namesAnnounced, long namesGivenUp, @Nullable FailureKind lastFailure, @Nullable String lastFailureDetail,
		@Nullable Instant lastSuccess) {

}
