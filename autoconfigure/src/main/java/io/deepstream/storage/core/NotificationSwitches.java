package io.deepstream.storage.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which of the five notifications are on, as the reference's {@code notifications} option. They
 * shape the trigger DDL of new tables and what the listener publishes.
 *
 * @param createTable whether CREATE_TABLE is sent when a table is created
 * @param destroyTable whether DESTROY_TABLE is sent when a table is dropped
 * @param insert whether INSERT is sent for each inserted record
 * @param update whether UPDATE is sent for each updated record
 * @param delete whether DELETE is sent for each deleted record
 */
public record NotificationSwitches(boolean createTable, boolean destroyTable, boolean insert, boolean update,
		boolean delete) {

	/** The reference's defaults: everything on. */
	public static final NotificationSwitches ALL = new NotificationSwitches(true, true, true, true, true);

	/** Everything off. */
	public static final NotificationSwitches NONE = new NotificationSwitches(false, false, false, false, false);

	/**
	 * Whether a kind is switched on.
	 * @param kind the kind of change
	 * @return whether it is sent and published
	 */
	public boolean isEnabled(ChangeKind kind) {
		return switch (kind) {
			case CREATE_TABLE -> this.createTable;
			case DESTROY_TABLE -> this.destroyTable;
			case INSERT -> this.insert;
			case UPDATE -> this.update;
			case DELETE -> this.delete;
		};
	}

	/**
	 * The record operations the row trigger fires on, in the reference's order.
	 * @return a subset of INSERT, UPDATE, DELETE; empty when no trigger is needed
	 */
	public Set<ChangeKind> triggerOperations() {
		Set<ChangeKind> operations = EnumSet.noneOf(ChangeKind.class);
		for (ChangeKind kind : new ChangeKind[] { ChangeKind.INSERT, ChangeKind.UPDATE, ChangeKind.DELETE }) {
			if (isEnabled(kind)) {
				operations.add(kind);
			}
		}
		return operations;
	}

	/**
	 * Whether any notification at all is on (otherwise no listener is needed).
	 * @return true if at least one switch is on
	 */
	public boolean any() {
		return this.createTable || this.destroyTable || this.insert || this.update || this.delete;
	}

}
