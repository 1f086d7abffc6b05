package io.deepstream.storage.listen;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A subscriber for tests: keeps every notification it gets, in order, and the threads it got them on.
 */
final class Recorder implements Consumer<Notification> {

	final List<Notification> notifications = new CopyOnWriteArrayList<>();

	final Set<String> threads = ConcurrentHashMap.newKeySet();

	@Override
	public void accept(Notification notification) {
		this.notifications.add(notification);
		this.threads.add(Thread.currentThread().getName());
	}

}
