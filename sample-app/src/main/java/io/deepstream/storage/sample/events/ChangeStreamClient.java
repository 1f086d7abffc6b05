package io.deepstream.storage.sample.events;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One connected Server-Sent Events client: a bounded queue of frames in front of its emitter, drained
 * by at most one sender task at a time. Offering never blocks; only the sender thread touches the
 * emitter while the client is open, because a write to a slow client holds the emitter's lock until it
 * returns. Closing marks the client, and the sender completes the emitter once its current write is
 * done.
 */
final class ChangeStreamClient {

	private final SseEmitter emitter;

	private final BlockingQueue<Set<DataWithMediaType>> queue;

	private final Executor sender;

	private final Consumer<ChangeStreamClient> onGone;

	private final AtomicBoolean draining = new AtomicBoolean();

	private volatile boolean closed;

	/**
	 * Creates a client.
	 * @param emitter the connection
	 * @param capacity the most frames waiting to be sent
	 * @param sender where frames are written
	 * @param onGone called once when a write fails: the client went away
	 */
	ChangeStreamClient(SseEmitter emitter, int capacity, Executor sender, Consumer<ChangeStreamClient> onGone) {
		this.emitter = emitter;
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.sender = sender;
		this.onGone = onGone;
	}

	/**
	 * Queues a frame to be sent.
	 * @param frame the frame
	 * @return false if the queue is full: the client is too slow
	 */
	boolean offer(Set<DataWithMediaType> frame) {
		if (this.closed) {
			// on its way out already: nothing to send, nothing to report
			return true;
		}
		if (!this.queue.offer(frame)) {
			return false;
		}
		scheduleDrain();
		return true;
	}

	/** Stops sending; the emitter is completed by the sender, after any write in progress. */
	void close() {
		this.closed = true;
		scheduleDrain();
	}

	/** Marks the client closed without touching the emitter: it is already complete. */
	void markCompleted() {
		this.closed = true;
		this.queue.clear();
	}

	int queued() {
		return this.queue.size();
	}

	private void scheduleDrain() {
		if (this.draining.compareAndSet(false, true)) {
			try {
				this.sender.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// The stream is shutting down; the server ends the connection.
				this.draining.set(false);
				this.closed = true;
			}
		}
	}

	private void drain() {
		try {
			Set<DataWithMediaType> frame;
			while (!this.closed && (frame = this.queue.poll()) != null) {
				this.emitter.send(frame);
			}
			if (this.closed) {
				this.queue.clear();
				this.emitter.complete();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// IOException: the client went away; IllegalStateException: the emitter was already complete.
			markCompleted();
			this.onGone.accept(this);
		}
		finally {
			this.draining.set(false);
		}
		if (!this.closed && !this.queue.isEmpty()) {
			scheduleDrain();
		}
	}

}
