package io.deepstream.storage.event;

import java.time.Instant;
import java.util.Set;

import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.listen.MissedNotifications;
import io.deepstream.storage.listen.Notification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;

import static org.assertj.core.api.Assertions.assertThat;

class StorageChangeEventTests {

	private final Object source = new Object();

	@Test
	void eachKindBecomesItsOwnType() {
		assertThat(event(ChangeKind.CREATE_TABLE, null)).isInstanceOf(TableCreatedEvent.class);
		assertThat(event(ChangeKind.DESTROY_TABLE, null)).isInstanceOf(TableDestroyedEvent.class);
		assertThat(event(ChangeKind.INSERT, "bmw")).isInstanceOf(RecordInsertedEvent.class);
		assertThat(event(ChangeKind.UPDATE, "bmw")).isInstanceOf(RecordUpdatedEvent.class);
		assertThat(event(ChangeKind.DELETE, "bmw")).isInstanceOf(RecordDeletedEvent.class);
		for (ChangeKind kind : ChangeKind.values()) {
			StorageChangeEvent event = event(kind, kind.isRecordChange() ? "bmw" : null);
			assertThat(event.getKind()).isEqualTo(kind);
			assertThat(event.getSchema()).isEqualTo("ds");
			assertThat(event.getTable()).isEqualTo("cars");
			assertThat(event.getSource()).isSameAs(this.source);
			assertThat(event instanceof RecordChangeEvent).isEqualTo(kind.isRecordChange());
		}
	}

	@Test
	@SuppressWarnings("removal")
	void recordEventsCarryIdAndRecordName() {
		RecordChangeEvent event = (RecordChangeEvent) event(ChangeKind.UPDATE, "a:b/c");
		assertThat(event.getId()).isEqualTo("a:b/c");
		assertThat(event.getRecordName()).isEqualTo("cars/a:b/c");
		assertThat(event.getKey()).as("the deprecated name").isEqualTo("cars/a:b/c");
		assertThat(event).hasToString("RecordUpdatedEvent[schema=ds, key=cars/a:b/c]");
	}

	/** {@code recordName}, and the deprecated {@code key} still. */
	@ParameterizedTest
	@ValueSource(strings = { "recordName", "key" })
	void gettersServeSpelConditions(String recordNameProperty) {
		Expression condition = new SpelExpressionParser()
			.parseExpression("#event.table == 'cars' && #event." + recordNameProperty + " == 'cars/bmw'");
		StandardEvaluationContext context = new StandardEvaluationContext();
		context.setVariable("event", event(ChangeKind.INSERT, "bmw"));
		assertThat(condition.getValue(context, Boolean.class)).isTrue();
		context.setVariable("event", event(ChangeKind.INSERT, "audi"));
		assertThat(condition.getValue(context, Boolean.class)).isFalse();
	}

	@Test
	void missedEventExposesTheInterval() {
		Instant from = Instant.parse("2025-01-01T00:00:00Z");
		Instant to = from.plusSeconds(3);
		NotificationsMissedEvent event = new NotificationsMissedEvent(this.source,
				new MissedNotifications(Set.of("ds"), from, to));
		assertThat(event.getSchemas()).containsExactly("ds");
		assertThat(event.getFrom()).isEqualTo(from);
		assertThat(event.getTo()).isEqualTo(to);
	}

	private StorageChangeEvent event(ChangeKind kind, String id) {
		return StorageChangeEvent.of(this.source, new Notification(kind, "ds", "cars", id));
	}

}
