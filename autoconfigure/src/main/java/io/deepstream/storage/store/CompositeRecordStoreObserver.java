package io.deepstream.storage.store;

import java.util.List;
import java.util.function.Consumer;

import io.deepstream.storage.core.CallbackFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells several observers about every flush, in order. An observer that throws (whatever it throws,
 * {@link CallbackFailures}) is logged and skipped:
 * it neither keeps the others from hearing about the flush nor turns a committed batch into a failed
 * one (the store calls its observer from inside its write loop).
 */
public final class CompositeRecordStoreObserver implements RecordStoreObserver {

	private static final Logger logger = LoggerFactory.getLogger(CompositeRecordStoreObserver.class);

	private final List<RecordStoreObserver> observers;

	private CompositeRecordStoreObserver(List<RecordStoreObserver> observers) {
		this.observers = observers;
	}

	/**
	 * One observer for several.
	 * @param observers the observers, in the order they are told
	 * @return {@link RecordStoreObserver#NONE} for none, otherwise a composite (also for one, so that
	 * a throwing observer is isolated all the same)
	 */
	public static RecordStoreObserver of(List<? extends RecordStoreObserver> observers) {
		if (observers.isEmpty()) {
			return RecordStoreObserver.NONE;
		}
		return new CompositeRecordStoreObserver(List.copyOf(observers));
	}

	/**
	 * The observer, isolated as a composite isolates each of its own: a store calls its observer from
	 * inside its write loop, right after a commit, so that an observer that threw there would fail, or
	 * have written again, a batch that is committed.
	 * @param observer an application's observer, or a composite
	 * @return the observer itself if it cannot throw (none, or a composite), otherwise a composite of it
	 */
	public static RecordStoreObserver isolating(RecordStoreObserver observer) {
		if (observer == RecordStoreObserver.NONE || observer instanceof CompositeRecordStoreObserver) {
			return observer;
		}
		return new CompositeRecordStoreObserver(List.of(observer));
	}

	/** @return the observers, in the order they are told */
	public List<RecordStoreObserver> observers() {
		return this.observers;
	}

	@Override
	public void batchCommitted(String table, int writes, long nanos) {
		tellEach((observer) -> observer.batchCommitted(table, writes, nanos));
	}

	@Override
	public void recordsCommitted(String table, List<String> ids) {
		tellEach((observer) -> observer.recordsCommitted(table, ids));
	}

	@Override
	public void batchFailed(String table, int writes, Throwable cause) {
		tellEach((observer) -> observer.batchFailed(table, writes, cause));
	}

	@Override
	public void batchRetried(String table, int attempt, Throwable cause) {
		tellEach((observer) -> observer.batchRetried(table, attempt, cause));
	}

	private void tellEach(Consumer<RecordStoreObserver> call) {
		for (RecordStoreObserver observer : this.observers) {
			try {
				call.accept(observer);
			}
			catch (Throwable ex) {
				CallbackFailures.rethrowIfFatal(ex);
				logger.warn("RecordStoreObserver {} failed; the store carries on", observer, ex);
			}
		}
	}

}
