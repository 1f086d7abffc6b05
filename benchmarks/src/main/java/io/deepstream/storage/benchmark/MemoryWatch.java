package io.deepstream.storage.benchmark;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Watches memory during the measurement: the heap in use (sampled every few milliseconds, garbage
 * included), the heap still in use after each garbage collection (the live data), and how many
 * writes the store held uncommitted, which {@code maxBufferedWrites} bounds.
 */
final class MemoryWatch implements AutoCloseable {

	private static final long MB = 1024 * 1024;

	private final IntSupplier buffered;

	private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP)
		.map(MemoryPoolMXBean::getName)
		.collect(Collectors.toSet());

	private final Thread sampler;

	private final NotificationListener gcListener = this::afterGc;

	private volatile boolean running = true;

	private volatile long peakUsed;

	private volatile long peakAfterGc;

	private volatile int peakBuffered;

	MemoryWatch(IntSupplier buffered) {
		this.buffered = buffered;
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener(this.gcListener, null, null);
			}
		}
		this.sampler = new Thread(this::sample, "benchmark-memory-watch");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	private void sample() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		while (this.running) {
			MemoryUsage heap = memory.getHeapMemoryUsage();
			this.peakUsed = Math.max(this.peakUsed, heap.getUsed());
			this.peakBuffered = Math.max(this.peakBuffered, this.buffered.getAsInt());
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void afterGc(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		long used = 0;
		for (var entry : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
			if (this.heapPools.contains(entry.getKey())) {
				used += entry.getValue().getUsed();
			}
		}
		synchronized (this) {
			this.peakAfterGc = Math.max(this.peakAfterGc, used);
		}
	}

	long peakUsedMb() {
		return Math.round((double) this.peakUsed / MB);
	}

	long peakAfterGcMb() {
		return Math.round((double) this.peakAfterGc / MB);
	}

	int peakBuffered() {
		return this.peakBuffered;
	}

	static long maxHeapMb() {
		return Runtime.getRuntime().maxMemory() / MB;
	}

	@Override
	public void close() {
		this.running = false;
		this.sampler.interrupt();
		try {
			this.sampler.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter) {
				try {
					emitter.removeNotificationListener(this.gcListener);
				}
				catch (ListenerNotFoundException ex) {
					// not registered with this collector
				}
			}
		}
	}

}
