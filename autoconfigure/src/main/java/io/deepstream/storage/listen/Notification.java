package io.deepstream.storage.listen;

import io.deepstream.storage.core.ChangeKind;
import org.jspecify.annotations.Nullable;

/**
 * One change announced by PostgreSQL on the channel of a schema, parsed from the reference's payload
 * format ({@code CREATE_TABLE:<table>}, {@code DESTROY_TABLE:<table>}, {@code INSERT|UPDATE|DELETE:<table>:<id>}).
 *
 * @param kind the kind of change
 * @param schema the schema, which is the channel the notification arrived on
 * @param table the table
 * @param id the record's id for INSERT, UPDATE and DELETE; null for CREATE_TABLE and DESTROY_TABLE
 */
public record Notification(ChangeKind kind, String schema, String table, @Nullable String id) {

	public Notification {
		if (kind.isRecordChange() && id == null) {
			throw new IllegalArgumentException(kind + " notifications carry a record id");
		}
		if (!kind.isRecordChange() && id != null) {
			throw new IllegalArgumentException(kind + " notifications carry no record id");
		}
	}

	/**
	 * The full record name, {@code table/id}, as deepstream knows the record.
	 * @return the record name, or null for CREATE_TABLE and DESTROY_TABLE
	 */
	public @Nullable String recordName() {
		return (this.id != null) ? this.table + '/' + this.id : null;
	}

	/**
	 * The full record name, {@code table/id}.
	 * @return the record name, or null for CREATE_TABLE and DESTROY_TABLE
	 * @deprecated since 0.1.0 for removal: deepstream's word is the record name; use {@link #recordName()}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public @Nullable String key() {
		return recordName();
	}

}
