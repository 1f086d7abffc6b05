package io.deepstream.storage.listen;

import java.util.HashMap;
import java.util.Map;

import io.deepstream.storage.core.ChangeKind;

/**
 * Parses the payloads of the reference's notifications. The kind ends at the first {@code :}. For
 * CREATE_TABLE and DESTROY_TABLE the rest is the table; for INSERT, UPDATE and DELETE the table ends at
 * the second {@code :} and the id is <em>everything</em> after it, so ids may contain {@code :} (the
 * reference splits on every {@code :} and turns {@code INSERT:t:x:y} into two events; we do not).
 * <p>
 * A payload that does not follow the format is returned as {@link Rejected}, never thrown: anyone
 * can {@code NOTIFY} on the channel.
 */
public final class NotificationParser {

	private static final Map<String, ChangeKind> KINDS = new HashMap<>();

	static {
		for (ChangeKind kind : ChangeKind.values()) {
			KINDS.put(kind.name(), kind);
		}
	}

	private NotificationParser() {
	}

	/**
	 * Parses one payload.
	 * @param schema the schema whose channel the payload arrived on
	 * @param payload the payload
	 * @return {@link Parsed} with the notification, or {@link Rejected} saying what is wrong
	 */
	public static Result parse(String schema, String payload) {
		int first = payload.indexOf(':');
		ChangeKind kind = KINDS.get((first < 0) ? payload : payload.substring(0, first));
		if (kind == null) {
			return new Rejected(payload, PayloadProblem.UNKNOWN_KIND);
		}
		if (first < 0) {
			return new Rejected(payload, PayloadProblem.MISSING_TABLE);
		}
		String rest = payload.substring(first + 1);
		if (!kind.isRecordChange()) {
			// No id follows, so the table is all of the rest (tables we create never contain ':').
			return rest.isEmpty() ? new Rejected(payload, PayloadProblem.MISSING_TABLE)
					: new Parsed(new Notification(kind, schema, rest, null));
		}
		int second = rest.indexOf(':');
		if (second < 0) {
			return new Rejected(payload, rest.isEmpty() ? PayloadProblem.MISSING_TABLE : PayloadProblem.MISSING_ID);
		}
		if (second == 0) {
			return new Rejected(payload, PayloadProblem.MISSING_TABLE);
		}
		String id = rest.substring(second + 1);
		if (id.isEmpty()) {
			return new Rejected(payload, PayloadProblem.EMPTY_ID);
		}
		return new Parsed(new Notification(kind, schema, rest.substring(0, second), id));
	}

	/** The outcome of {@link #parse}: {@link Parsed} or {@link Rejected}. */
	public sealed interface Result permits Parsed, Rejected {

	}

	/**
	 * A payload in the deepstream format.
	 *
	 * @param notification what it announces
	 */
	public record Parsed(Notification notification) implements Result {

	}

	/**
	 * A payload not in the deepstream format.
	 *
	 * @param payload the payload as received
	 * @param problem what is wrong with it
	 */
	public record Rejected(String payload, PayloadProblem problem) implements Result {

	}

}
