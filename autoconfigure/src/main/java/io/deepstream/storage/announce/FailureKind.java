package io.deepstream.storage.announce;

/**
 * Why names could not be announced to a deepstream server.
 */
public enum FailureKind {

	/** The server could not be reached, or did not answer in time. Retried. */
	UNREACHABLE(true),

	/** The server answered with a 5xx status. Retried. */
	SERVER_ERROR(true),

	/** The server refused the credentials ({@code authData} or {@code token}). Retried, as the server's users may change. */
	AUTHENTICATION(true),

	/** A permission rule ({@code record.<name>.notify}) refused the name. Not retried. */
	DENIED(false),

	/**
	 * The URL answered, but not as a deepstream HTTP API does (a 404, HTML, JSON of another shape): a
	 * wrong URL, path or port. Retried, in case it is a proxy in front of a server that is starting.
	 */
	NOT_DEEPSTREAM_API(true),

	/** The server refused the request for another reason it gave. Retried. */
	REJECTED(true),

	/** More names were waiting for this server than {@code maxPendingNames} allows. */
	QUEUE_FULL(false),

	/** The announcer was closed while the names were still waiting. */
	CLOSED(false);

	private final boolean retried;

	FailureKind(boolean retried) {
		this.retried = retried;
	}

	/** @return whether names failing this way are retried until {@code giveUpAfter} */
	public boolean isRetried() {
		return this.retried;
	}

}
