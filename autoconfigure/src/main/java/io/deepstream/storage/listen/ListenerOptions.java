package io.deepstream.storage.listen;

import java.time.Duration;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.InvalidOptionException;
import io.deepstream.storage.core.NotificationSwitches;

import static io.deepstream.storage.core.OptionChecks.requireAtLeast;
import static io.deepstream.storage.core.OptionChecks.requireValid;
import static io.deepstream.storage.core.OptionChecks.requireWholeMillis;

/**
 * Options of the {@link NotificationListener}. Build with {@link #builder()}.
 * <p>
 * <strong>Detection bound.</strong> A dead connection, a half-open TCP connection included (the
 * server or the network is gone without a FIN or RST, so reads just wait), is noticed within
 * {@link #maxDetectionTime()} = {@code validationInterval + pollTimeout + validationTimeout}: every
 * poll returns after at most {@code pollTimeout}; once nothing has come from the server for
 * {@code validationInterval}, the connection is checked with a round trip that must answer within
 * {@code validationTimeout}. With the defaults that is 7.5 seconds. A connection that is closed or
 * reset is usually noticed at once, by the poll.
 *
 * @param schema the schema whose channel {@code subscribe(callback)} listens to (default {@code ds})
 * @param notifications which kinds are delivered to subscribers; other kinds are received and counted
 * but not delivered (default all)
 * @param pollTimeout the longest one wait for notifications blocks; also the longest a subscribe
 * or unsubscribe waits for the listener thread (default 500 ms)
 * @param validationInterval after this long without anything from the server, the connection is
 * validated (default 5 s)
 * @param validationTimeout how long the validation round trip, and any other statement of the
 * listener ({@code LISTEN}, {@code UNLISTEN}), may take (default 2 s)
 * @param reconnectInitialBackoff pause after the first failed reconnect attempt; doubled after each
 * further failure (default 100 ms). The first attempt after losing a connection that had lived at
 * least {@code validationInterval} is made at once, and the pauses start again from this one; a
 * connection lost sooner counts as one more failure, so that a server that accepts connections and
 * drops them at once is not hammered.
 * @param reconnectMaxBackoff the longest pause between reconnect attempts (default 30 s)
 * @param stopTimeout how long {@code stop()} waits for the listener thread to end (default 5 s)
 */
public record ListenerOptions(String schema, NotificationSwitches notifications, Duration pollTimeout,
		Duration validationInterval, Duration validationTimeout, Duration reconnectInitialBackoff,
		Duration reconnectMaxBackoff, Duration stopTimeout) {

	/** Default bound of one wait for notifications. */
	public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);

	/** Default idle time after which the connection is validated. */
	public static final Duration DEFAULT_VALIDATION_INTERVAL = Duration.ofSeconds(5);

	/** Default time the validation round trip may take. */
	public static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(2);

	/** Default first reconnect pause. */
	public static final Duration DEFAULT_RECONNECT_INITIAL_BACKOFF = Duration.ofMillis(100);

	/** Default longest reconnect pause. */
	public static final Duration DEFAULT_RECONNECT_MAX_BACKOFF = Duration.ofSeconds(30);

	/** Default wait for the listener thread on stop. */
	public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * Checks every option. JDBC takes the times in whole milliseconds, and a poll timeout of 0 would
	 * block for ever.
	 * @throws InvalidOptionException naming the first option that breaks a rule
	 */
	public ListenerOptions {
		requireValid(schema, "schema", Identifiers::requireValidSchema);
		requireWholeMillis(pollTimeout, "pollTimeout");
		requireWholeMillis(validationInterval, "validationInterval");
		requireWholeMillis(validationTimeout, "validationTimeout");
		requireWholeMillis(reconnectInitialBackoff, "reconnectInitialBackoff");
		requireWholeMillis(reconnectMaxBackoff, "reconnectMaxBackoff");
		requireWholeMillis(stopTimeout, "stopTimeout");
		requireAtLeast(reconnectMaxBackoff, "reconnectMaxBackoff", reconnectInitialBackoff, "reconnectInitialBackoff");
	}

	/**
	 * The longest time a dead connection, half-open or not, goes unnoticed.
	 * @return {@code validationInterval + pollTimeout + validationTimeout}
	 */
	public Duration maxDetectionTime() {
		return this.validationInterval.plus(this.pollTimeout).plus(this.validationTimeout);
	}

	/**
	 * Options with every default.
	 * @return the defaults
	 */
	public static ListenerOptions defaults() {
		return builder().build();
	}

	/**
	 * A builder starting from the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder starting from these options.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder().schema(this.schema)
			.notifications(this.notifications)
			.pollTimeout(this.pollTimeout)
			.validationInterval(this.validationInterval)
			.validationTimeout(this.validationTimeout)
			.reconnectInitialBackoff(this.reconnectInitialBackoff)
			.reconnectMaxBackoff(this.reconnectMaxBackoff)
			.stopTimeout(this.stopTimeout);
	}

	/** Builds {@link ListenerOptions}; each setter is named after its option. */
	public static final class Builder {

		private String schema = Identifiers.DEFAULT_SCHEMA;

		private NotificationSwitches notifications = NotificationSwitches.ALL;

		private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;

		private Duration validationInterval = DEFAULT_VALIDATION_INTERVAL;

		private Duration validationTimeout = DEFAULT_VALIDATION_TIMEOUT;

		private Duration reconnectInitialBackoff = DEFAULT_RECONNECT_INITIAL_BACKOFF;

		private Duration reconnectMaxBackoff = DEFAULT_RECONNECT_MAX_BACKOFF;

		private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;

		private Builder() {
		}

		public Builder schema(String schema) {
			this.schema = schema;
			return this;
		}

		public Builder notifications(NotificationSwitches notifications) {
			this.notifications = notifications;
			return this;
		}

		public Builder pollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
			return this;
		}

		public Builder validationInterval(Duration validationInterval) {
			this.validationInterval = validationInterval;
			return this;
		}

		public Builder validationTimeout(Duration validationTimeout) {
			this.validationTimeout = validationTimeout;
			return this;
		}

		public Builder reconnectInitialBackoff(Duration reconnectInitialBackoff) {
			this.reconnectInitialBackoff = reconnectInitialBackoff;
			return this;
		}

		public Builder reconnectMaxBackoff(Duration reconnectMaxBackoff) {
			this.reconnectMaxBackoff = reconnectMaxBackoff;
			return this;
		}

		public Builder stopTimeout(Duration stopTimeout) {
			this.stopTimeout = stopTimeout;
			return this;
		}

		public ListenerOptions build() {
			return new ListenerOptions(this.schema, this.notifications, this.pollTimeout, this.validationInterval,
					this.validationTimeout, this.reconnectInitialBackoff, this.reconnectMaxBackoff, this.stopTimeout);
		}

	}

}
