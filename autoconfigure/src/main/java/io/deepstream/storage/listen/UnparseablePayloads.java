package io.deepstream.storage.listen;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts payloads that are not in the deepstream format and logs them: the first of each
 * {@link PayloadProblem} at WARN, the rest at DEBUG, so that a foreign publisher on the channel
 * cannot flood the log.
 */
final class UnparseablePayloads {

	private static final Logger logger = LoggerFactory.getLogger(NotificationListener.class);

	private static final int MAX_LOGGED_CHARS = 200;

	private final AtomicLong count = new AtomicLong();

	private final Set<PayloadProblem> warned = EnumSet.noneOf(PayloadProblem.class);

	/**
	 * Records one payload that was not understood.
	 * @param schema the channel it arrived on
	 * @param rejected the payload and its problem
	 * @return whether it was logged at WARN (the first of its problem)
	 */
	boolean report(String schema, NotificationParser.Rejected rejected) {
		this.count.incrementAndGet();
		boolean first;
		synchronized (this.warned) {
			first = this.warned.add(rejected.problem());
		}
		String payload = printable(rejected.payload());
		if (first) {
			logger.warn("Ignoring a notification on channel '{}' that is not in the deepstream format: the payload {} "
					+ "('{}'). Further payloads with this problem are logged at DEBUG and counted.", schema,
					rejected.problem().description(), payload);
		}
		else {
			logger.debug("Ignoring a notification on channel '{}': the payload {} ('{}')", schema,
					rejected.problem().description(), payload);
		}
		return first;
	}

	/**
	 * Payloads not understood so far.
	 * @return the count
	 */
	long count() {
		return this.count.get();
	}

	private static String printable(String payload) {
		return (payload.length() > MAX_LOGGED_CHARS) ? payload.substring(0, MAX_LOGGED_CHARS) + "..." : payload;
	}

}
