package io.deepstream.storage.announce;

/**
 * How a deepstream server answered one record {@code notify} request.
 */
sealed interface NotifyOutcome {

	/** Every name was accepted and processed. */
	record Announced() implements NotifyOutcome {
	}

	/**
	 * The request failed.
	 * @param kind what kind of failure
	 * @param detail what the server said, or what went wrong
	 */
	record Failed(FailureKind kind, String detail) implements NotifyOutcome {
	}

	NotifyOutcome ANNOUNCED = new Announced();

}
