package io.deepstream.storage.event;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.listen.ListenerConnectionFactory;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * In a Spring application context, {@code @EventListener} beans receive the changes as events: by
 * subtype, by supertype, and filtered by a SpEL condition on the table; and the missed-notifications
 * event after the listener's backend is terminated.
 */
@ExtendWith(TestSchema.class)
class NotificationEventBridgeIT {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	void eventListenersReceiveTheChangesInOrderOnTheListenerThread(TestSchema.Name schema) throws Exception {
		NotificationListener listener;
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.registerBean(TestSchema.Name.class, () -> schema);
			context.register(StorageConfiguration.class, Listeners.class);
			context.refresh();
			listener = context.getBean(NotificationListener.class);
			assertThat(listener.isRunning()).isTrue();
			context.getBean(NotificationEventBridge.class).subscribe().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
			Listeners events = context.getBean(Listeners.class);

			store.set("cars/bmw", 1, Map.of("color", "blue")).join();
			store.set("bikes/x", 1, Map.of()).join();
			store.set("cars/bmw", 2, Map.of("color", "red")).join();
			// a write this process did not make
			schema.database()
				.execute("INSERT INTO " + Identifiers.qualify(schema.value(), "cars")
						+ " (id, version, val) VALUES (?, 1, '{}')", "a:b");
			store.delete("bikes/x").join();

			await().atMost(WAIT).untilAsserted(() -> assertThat(events.all).extracting(NotificationEventBridgeIT::describe)
				.containsExactly("TableCreatedEvent cars", "RecordInsertedEvent cars/bmw", "TableCreatedEvent bikes",
						"RecordInsertedEvent bikes/x", "RecordUpdatedEvent cars/bmw", "RecordInsertedEvent cars/a:b",
						"RecordDeletedEvent bikes/x", "TableDestroyedEvent bikes"));
			assertThat(events.cars).extracting(NotificationEventBridgeIT::describe)
				.containsExactly("TableCreatedEvent cars", "RecordInsertedEvent cars/bmw", "RecordUpdatedEvent cars/bmw",
						"RecordInsertedEvent cars/a:b");
			assertThat(events.inserted).extracting(RecordChangeEvent::getKey)
				.containsExactly("cars/bmw", "bikes/x", "cars/a:b");
			assertThat(events.inserted.get(2).getId()).isEqualTo("a:b");
			assertThat(events.all).allSatisfy((event) -> {
				assertThat(event.getSchema()).isEqualTo(schema.value());
				assertThat(event.getSource()).isSameAs(context.getBean(NotificationListener.class));
			});
			assertThat(events.threads).singleElement().asString().startsWith("deepstream-listener-");

			Integer pid = listener.state().backendPid();
			schema.database().execute("SELECT pg_terminate_backend(?)", pid);
			await().atMost(WAIT).untilAsserted(() -> assertThat(events.missed).hasSize(1));
			NotificationsMissedEvent missed = events.missed.get(0);
			assertThat(missed.getSchemas()).containsExactly(schema.value());
			assertThat(missed.getFrom()).isBeforeOrEqualTo(missed.getTo());
			assertThat(events.all).hasSize(8); // the missed event is not a change event

			store.set("cars/after", 1, Map.of()).join();
			await().atMost(WAIT).untilAsserted(
					() -> assertThat(events.cars).last().extracting(NotificationEventBridgeIT::describe)
						.isEqualTo("RecordInsertedEvent cars/after"));
		}
		assertThat(listener.isRunning()).isFalse();
		assertThat(listener.state().connected()).isFalse();
	}

	@Test
	// the failure this test guards against is a wait for ever, in join(), which an interrupt does not end
	@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void waitingForTheBridgeBeforeTheListenerIsStartedFailsAtOnceAndWorksOnceItIs(TestSchema.Name schema) throws Exception {
		TestDatabase database = schema.database();
		String other = schema.value() + "_other";
		NotificationListener listener = new NotificationListener(
				ListenerConnectionFactory.of(database.url(), database.username(), database.password()),
				ListenerOptions.builder().schema(schema.value()).pollTimeout(Duration.ofMillis(100)).build());
		try {
			List<Object> events = new CopyOnWriteArrayList<>();
			ApplicationEventPublisher publisher = events::add;
			NotificationEventBridge bridge = new NotificationEventBridge(publisher, listener, Set.of(schema.value(), other));
			CompletableFuture<Void> subscribed = bridge.subscribe();
			assertThatIllegalStateException().isThrownBy(subscribed::join).withMessageContaining("call start()");
			listener.start();
			subscribed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(listener.state().channels()).containsExactlyInAnyOrder(schema.value(), other);
			database.execute("SELECT pg_notify(?, ?)", other, "INSERT:t:1");
			await().atMost(WAIT).untilAsserted(() -> assertThat(events).singleElement()
				.isInstanceOfSatisfying(RecordInsertedEvent.class, (event) -> assertThat(event.getSchema()).isEqualTo(other)));
		}
		finally {
			listener.close();
		}
	}

	private static String describe(StorageChangeEvent event) {
		return event.getClass().getSimpleName() + " "
				+ ((event instanceof RecordChangeEvent record) ? record.getRecordName() : event.getTable());
	}

	@Configuration(proxyBeanMethods = false)
	static class StorageConfiguration {

		@Bean(destroyMethod = "close")
		HikariDataSource dataSource(TestSchema.Name schema) {
			return schema.database().newDataSource(4);
		}

		@Bean
		PostgresRecordStore recordStore(DataSource dataSource, TestSchema.Name schema) {
			return new PostgresRecordStore(dataSource, JsonMapper.builder().build(),
					RecordStoreOptions.builder().schema(schema.value()).writeInterval(Duration.ofMillis(20)).build());
		}

		@Bean
		NotificationListener notificationListener(TestSchema.Name schema) {
			TestDatabase database = schema.database();
			return new NotificationListener(
					ListenerConnectionFactory.of(database.url(), database.username(), database.password()),
					ListenerOptions.builder().schema(schema.value()).pollTimeout(Duration.ofMillis(100)).build());
		}

		@Bean
		NotificationEventBridge notificationEventBridge(ApplicationEventPublisher publisher,
				NotificationListener listener) {
			return new NotificationEventBridge(publisher, listener);
		}

	}

	static class Listeners {

		final List<StorageChangeEvent> all = new CopyOnWriteArrayList<>();

		final List<StorageChangeEvent> cars = new CopyOnWriteArrayList<>();

		final List<RecordInsertedEvent> inserted = new CopyOnWriteArrayList<>();

		final List<NotificationsMissedEvent> missed = new CopyOnWriteArrayList<>();

		final Set<String> threads = ConcurrentHashMap.newKeySet();

		@EventListener
		void onAnyChange(StorageChangeEvent event) {
			this.all.add(event);
			this.threads.add(Thread.currentThread().getName());
		}

		@EventListener(condition = "#event.table == 'cars'")
		void onCars(StorageChangeEvent event) {
			this.cars.add(event);
		}

		@EventListener
		void onInserted(RecordInsertedEvent event) {
			this.inserted.add(event);
		}

		@EventListener
		void onMissed(NotificationsMissedEvent event) {
			this.missed.add(event);
		}

	}

}
