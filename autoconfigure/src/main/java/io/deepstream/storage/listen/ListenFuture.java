package io.deepstream.storage.listen;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * The future of a subscribe that waits for its LISTEN. Only a running listener places it, so a
 * thread that blocks on it while the listener is not running, typically before {@code start()} in
 * the same thread, would wait for ever: {@link #join()} and {@link #get()} fail at once instead.
 * Futures derived from it ({@code thenRun}...) behave the same.
 */
final class ListenFuture<T> extends CompletableFuture<T> {

	private final BooleanSupplier listenerRunning;

	ListenFuture(BooleanSupplier listenerRunning) {
		this.listenerRunning = listenerRunning;
	}

	@Override
	public T join() {
		requireWaitable();
		return super.join();
	}

	@Override
	public T get() throws InterruptedException, ExecutionException {
		requireWaitable();
		return super.get();
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		return new ListenFuture<>(this.listenerRunning);
	}

	private void requireWaitable() {
		if (!isDone() && !this.listenerRunning.getAsBoolean()) {
			throw new IllegalStateException("The listener is not started, so the LISTEN this future waits for "
					+ "is not placed: call start() before waiting for a subscription (or wait with a timeout)");
		}
	}

}
