package io.deepstream.storage.announce;

import org.jspecify.annotations.Nullable;

/**
 * Completes a wait for announcements when a name was given up on: the deepstream server was not told
 * that the record changed, so its cache and its subscribed clients may keep the old version until
 * they read it again.
 */
public class AnnouncementFailedException extends RuntimeException {

	private final @Nullable String recordName;

	private final FailureKind kind;

	public AnnouncementFailedException(@Nullable String recordName, FailureKind kind) {
		super("Record '" + recordName + "' was not announced to the deepstream server: " + kind);
		this.recordName = recordName;
		this.kind = kind;
	}

	/** @return the first name given up on */
	public @Nullable String getRecordName() {
		return this.recordName;
	}

	/** @return why it was given up on */
	public FailureKind getKind() {
		return this.kind;
	}

}
