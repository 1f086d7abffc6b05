package io.deepstream.storage.core;

/**
 * What the store's and the listener's own threads do when an application's callback (a notification
 * subscriber, a store observer, an announcement listener) throws: they log it and carry on, so that
 * one faulty callback neither stops notifications for good nor turns a committed write into a failed
 * one. That holds for whatever a callback may throw: an unchecked exception, a checked one thrown
 * without being declared (Kotlin, Lombok's {@code @SneakyThrows}, a rethrowing helper), an assertion,
 * a linkage error, or a stack overflow, after which the stack is whole again. Only the JVM's own
 * failures (out of memory, an internal error) are not survivable, and go on up.
 */
public final class CallbackFailures {

	private CallbackFailures() {
	}

	/**
	 * Rethrows what no thread should try to survive; returns for anything else, which the caller logs.
	 * Called first thing in a {@code catch (Throwable ex)} around a callback.
	 * @param failure what the callback threw
	 */
	public static void rethrowIfFatal(Throwable failure) {
		if (failure instanceof VirtualMachineError error && !(failure instanceof StackOverflowError)) {
			throw error;
		}
	}

}
